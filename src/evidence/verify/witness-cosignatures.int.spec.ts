import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../shared/clock';
import { clone, makeBundleFixture, type BundleFixture } from '../bundle/bundle.test-support';
import type { EvidenceBundle } from '../bundle/evidence-bundle';
import { cosignatureSigner, cosignatureVerifierKey } from '../checkpoint/cosignature';
import { base64ToBytes, verifyEvidenceBundle, type VerificationReport } from './bundle.verify';
import { parseTrustFile } from './trust-file';
import { verdictLine, verdictOf } from './verdict';

const seed = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const at = (seconds: number) => () => seconds;
const ceo = cosignatureSigner('witness.ceo-up.example', seed(11), at(1_713_592_800));
const court = cosignatureSigner('witness.court-varanasi.example', seed(12), at(1_713_592_801));
const party = cosignatureSigner('witness.party-agent.example', seed(13), at(1_713_592_802));
const keyOf = (s: typeof ceo) => ({ name: s.name, verifierKey: cosignatureVerifierKey(s.name, s.publicKey) });
const detail = (r: VerificationReport, check: string): string | undefined => r.checks.find((c) => c.check === check)?.detail;
const FIXTURES = resolve(__dirname, '../../../test/fixtures/evidence');

describe('witness cosignatures in a format-2 bundle', () => {
  let dir: string;
  let store: SqliteEventStore;
  let fx: BundleFixture;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cosigned-bundle-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: systemClock, pollIntervalMs: 20 });
    fx = await makeBundleFixture(store, [ceo, court, party]);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the given witnesses that cosigned, by name, and reports an unknown one as not counted', () => {
    const report = verifyEvidenceBundle(fx.bundle, {
      publicKey: fx.key.publicKey,
      witnesses: [keyOf(ceo), keyOf(court)],
      witnessQuorum: 2,
    });
    expect(report.ok).toBe(true);
    expect(report.witnesses).toEqual({
      quorum: 2,
      cosignedBy: ['witness.ceo-up.example', 'witness.court-varanasi.example'],
      unknown: [expect.stringMatching(/^witness\.party-agent\.example\+[0-9a-f]{8}$/)],
      invalid: [],
    });
    expect(detail(report, 'witness-cosignatures')).toMatch(/witness\.ceo-up\.example at 2024-04-20T06:00:00\.000Z/);
    expect(detail(report, 'witness-cosignatures')).toMatch(/unknown witness witness\.party-agent\.example\+[0-9a-f]{8}, not counted/);
    expect(verdictOf(report)).toBe('verified');
    expect(verdictLine(report, 'b.json')).toBe(
      'VERIFIED: b.json — every check passed, cosigned by witness.ceo-up.example and witness.court-varanasi.example (quorum 2).',
    );
  });

  it('fails when fewer than the quorum of given witnesses cosigned: cosignatures by keys not given never count', () => {
    const stranger = cosignatureSigner('witness.ceo-up.example', seed(99), at(1));
    const report = verifyEvidenceBundle(fx.bundle, {
      publicKey: fx.key.publicKey,
      witnesses: [keyOf(ceo), keyOf(stranger)],
      witnessQuorum: 2,
    });
    expect(report.ok).toBe(false);
    expect(report.witnesses?.cosignedBy).toEqual(['witness.ceo-up.example']);
    expect(detail(report, 'witness-cosignatures')).toMatch(/fewer than the 2 required/);
    expect(verdictLine(report, 'b.json')).toBe('NOT VERIFIED: b.json — 1 check failed (cosigned by 1 of the 2 witnesses required).');
  });

  it('fails on a forged cosignature, and on a checkpoint that is not the head', () => {
    const forged = clone(fx.bundle);
    const lines = forged.checkpoint!.note.split('\n');
    const i = lines.findIndex((l) => l.includes('witness.court-varanasi.example'));
    const raw = base64ToBytes(lines[i].split(' ')[2]);
    raw[raw.length - 1] ^= 1;
    lines[i] = `\u2014 witness.court-varanasi.example ${Buffer.from(raw).toString('base64')}`;
    forged.checkpoint!.note = lines.join('\n');
    const report = verifyEvidenceBundle(forged, { publicKey: fx.key.publicKey, witnesses: [keyOf(ceo), keyOf(court)] });
    expect(report.ok).toBe(false);
    expect(detail(report, 'witness-cosignatures')).toMatch(/the cosignature of witness\.court-varanasi\.example does NOT verify/);

    const otherHead = clone(fx.bundle);
    otherHead.treeHead.treeSize -= 1;
    const r2 = verifyEvidenceBundle(otherHead, { publicKey: fx.key.publicKey });
    expect(detail(r2, 'checkpoint')).toMatch(/not the signed head: it is of size 7, the head of 6/);
  });

  it('without witness keys, checks the checkpoint and says how many other signature lines it carries', () => {
    const report = verifyEvidenceBundle(fx.bundle, { publicKey: fx.key.publicKey });
    expect(report.ok).toBe(true);
    expect(report.witnesses).toBeUndefined();
    expect(detail(report, 'checkpoint')).toMatch(/3 other signature lines \(witness cosignatures\)/);
  });
});

describe('a format-1 bundle written before format 2', () => {
  const bundle = JSON.parse(readFileSync(join(FIXTURES, 'bundle-v1.json'), 'utf8')) as EvidenceBundle;
  const publicKey = base64ToBytes(readFileSync(join(FIXTURES, 'bundle-v1.public-key'), 'utf8'));

  it('still verifies with its key, every check as before', () => {
    const report = verifyEvidenceBundle(bundle, { publicKey });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.map((c) => c.check)).toEqual([
      'format',
      'event-hashes',
      'hash-chain',
      'public-key',
      'log-id',
      'head-signature',
      'inclusion-proofs',
      'bundle-hash',
    ]);
    expect(verdictOf(report)).toBe('verified');
  });

  it('cannot meet a witness quorum: it carries no cosignatures', () => {
    const report = verifyEvidenceBundle(bundle, { publicKey, witnesses: [keyOf(ceo)], witnessQuorum: 1 });
    expect(report.ok).toBe(false);
    expect(detail(report, 'witness-cosignatures')).toBe('a seizure-ledger-evidence/1 bundle carries no checkpoint and no cosignatures');
  });
});

describe('the verifier’s trust file', () => {
  const good = { witnesses: [keyOf(ceo), keyOf(court)], witnessQuorum: 2 };

  it('reads witnesses and quorum, the quorum defaulting to all', () => {
    expect(parseTrustFile(good)).toEqual(good);
    expect(parseTrustFile({ witnesses: [keyOf(ceo)] }).witnessQuorum).toBe(1);
  });

  it.each([
    [[], 'the trust file must be a JSON object'],
    [{}, '"witnesses" is missing'],
    [{ witnesses: [{ name: 'x' }] }, 'witnesses[0].verifierKey must be a verifier key string'],
    [
      { witnesses: [{ name: 'x', verifierKey: 'x+00000000+AAAA' }] },
      'witnesses[0].verifierKey "x+00000000+AAAA" is not a witness verifier key',
    ],
    [{ witnesses: [{ ...keyOf(ceo), name: 'other' }] }, 'witnesses[0].verifierKey is named "witness.ceo-up.example", not "other"'],
    [{ ...good, witnessQuorum: 3 }, '"witnessQuorum" is 3, more than the 2 witnesses listed'],
    [{ ...good, witnessQuorum: '2' }, '"witnessQuorum" must be a whole number'],
  ])('refuses %j, saying why', (json, message) => {
    expect(() => parseTrustFile(json)).toThrow(message);
  });
});
