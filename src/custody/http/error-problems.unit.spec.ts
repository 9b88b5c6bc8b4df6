import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WrongExpectedRevisionError } from '../../ledger/errors';
import { ErrorRegistry, type ProblemContext } from '../../platform/http/error-registry';
import { SEIZURE_RULE_CODES, SeizureRuleViolation, type RuleKind } from '../errors';

const RULE_CODES = Object.keys(SEIZURE_RULE_CODES);
import { custodyErrorProblems } from './error-problems';

const SRC = join(__dirname, '..', '..');
const noIfMatch: ProblemContext = { ifMatchGiven: false };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every `violation('code', 'kind', …)` and `new SeizureRuleViolation('code', 'kind', …)` written in src/. */
function thrownRules(): Array<{ code: string; kind: RuleKind; file: string }> {
  const call = /(?:\bviolation|new SeizureRuleViolation)\(\s*'([a-z-]+)',\s*'([a-z_]+)'/g;
  return sourceFiles(SRC).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(call)].map((m) => ({ code: m[1], kind: m[2] as RuleKind, file: file.slice(SRC.length + 1) })),
  );
}

/** Calls the scan above cannot check: a computed code or kind, or a layout it does not match. */
function uncheckedCalls(): string[] {
  const call = /(?:\bviolation|new SeizureRuleViolation)\((?!\s*'[a-z-]+',\s*'[a-z_]+')([^,)]*)/g;
  return sourceFiles(SRC).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(call)]
      // The one helper that forwards its own parameters: `violation = (code, kind, …) => new SeizureRuleViolation(code, kind, …)`.
      .filter((m) => m[1].trim() !== 'code')
      .map((m) => `${file.slice(SRC.length + 1)}: ${m[0]}`),
  );
}

const STATUS_BY_KIND: Record<RuleKind, number> = { not_found: 404, forbidden: 403, conflict: 409, invalid: 400 };

describe('custody error problems', () => {
  const registry = new ErrorRegistry(custodyErrorProblems);
  const rules = thrownRules();

  it('finds the custody rules in the source', () => {
    // Guards on the scan itself: a call it cannot read must not pass silently.
    expect(rules.length).toBeGreaterThan(RULE_CODES.length);
    expect(uncheckedCalls()).toEqual([]);
  });

  it('registers every code a custody rule can throw, with the status of the kind it is thrown with', () => {
    const missing = rules.filter(({ code }) => !registry.has(code)).map(({ code, file }) => `${code} (${file})`);
    expect(missing).toEqual([]);
    for (const { code, kind } of rules) {
      const problem = registry.problemFor(new SeizureRuleViolation(code as keyof typeof SEIZURE_RULE_CODES, kind, 'why'), noIfMatch);
      expect({ code, status: problem?.status, slug: problem?.slug }).toEqual({ code, status: STATUS_BY_KIND[kind], slug: code });
    }
  });

  it('lists no code that no rule throws', () => {
    const thrown = new Set(rules.map(({ code }) => code));
    expect(RULE_CODES.filter((code) => !thrown.has(code))).toEqual([]);
  });

  it('answers a rule violation with its kind title, its message, and the field it is about', () => {
    expect(
      registry.problemFor(
        new SeizureRuleViolation('transfer-to-self', 'invalid', 'the recipient already holds these items', 'to'),
        noIfMatch,
      ),
    ).toEqual({
      status: 400,
      slug: 'transfer-to-self',
      title: 'Invalid by a custody rule',
      detail: 'the recipient already holds these items',
      errors: [{ field: 'to', reason: 'the recipient already holds these items' }],
    });
    expect(registry.problemFor(new SeizureRuleViolation('not-the-recipient', 'forbidden', 'only x may accept'), noIfMatch)).toEqual({
      status: 403,
      slug: 'not-the-recipient',
      title: 'Not allowed by the custody rules',
      detail: 'only x may accept',
    });
  });

  it('answers a lost race with 412 when If-Match named the revision, 409 otherwise', () => {
    const lost = new WrongExpectedRevisionError('seizure-1', 3, 5);
    expect(registry.problemFor(lost, { ifMatchGiven: true })).toEqual({
      status: 412,
      slug: 'stale-revision',
      title: 'The seizure has changed',
      detail: 'If-Match named revision 3, but the seizure is at revision 5; read it again and decide anew.',
    });
    expect(registry.problemFor(lost, noIfMatch)).toEqual({
      status: 409,
      slug: 'concurrent-modification',
      title: 'The seizure changed while the command ran',
      detail: 'Another change was recorded at the same moment, twice in a row; retry the command.',
    });
  });
});
