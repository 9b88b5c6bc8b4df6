import type { VerificationReport } from './bundle.verify';
import { checkMark, verdictLine, verdictOf } from './verdict';

const passed = { check: 'event-hashes', ok: true, detail: 'all match' };
const keyFromBundle = { check: 'public-key', ok: true, detail: 'NOT CHECKED', unproven: true as const };
const failed = { check: 'bundle-hash', ok: false, detail: 'differs' };

describe('verdict: what a report lets its reader conclude', () => {
  it('is verified only when every check holds and none rests on the bundle’s own key', () => {
    const report: VerificationReport = { ok: true, checks: [passed, { ...passed, check: 'public-key' }], keySource: 'given' };
    expect(verdictOf(report)).toBe('verified');
    expect(verdictLine(report, 'b.json')).toBe('VERIFIED: b.json — every check passed.');
    expect(report.checks.map(checkMark)).toEqual(['✓', '✓']);
  });

  it('is self-consistent, not verified, when the key came from the bundle, and shows that check with "!"', () => {
    const report: VerificationReport = { ok: true, checks: [passed, keyFromBundle], keySource: 'embedded' };
    expect(verdictOf(report)).toBe('self-consistent');
    expect(verdictLine(report, 'b.json')).toMatch(/^NOT AUTHENTICATED: b\.json agrees with itself/);
    expect(report.checks.map(checkMark)).toEqual(['✓', '!']);
  });

  it('is not verified when any check fails, whatever the key, and counts the failures', () => {
    const report: VerificationReport = { ok: false, checks: [failed, keyFromBundle, { ...failed, check: 'chain' }] };
    expect(verdictOf(report)).toBe('not-verified');
    expect(verdictLine(report, 'b.json')).toBe('NOT VERIFIED: b.json — 2 checks failed.');
    expect(report.checks.map(checkMark)).toEqual(['✗', '!', '✗']);
  });
});
