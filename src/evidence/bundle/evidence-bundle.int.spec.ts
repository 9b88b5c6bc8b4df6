import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson as projectCanonicalJson } from '../../ledger/hash-chain';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../shared/clock';
import type { JsonValue } from '../../shared/json';
import { bytesToHex, inclusionProof, rootOf } from '../merkle/rfc9162';
import { bundleHashInput, computeBundleHash, verifyEvidenceBundle, type VerificationReport } from '../verify/bundle.verify';
import { clone, freshKey, makeBundleFixture, signHead, type BundleFixture } from './bundle.test-support';
import { EVIDENCE_BUNDLE_FORMAT, formatIst, type EvidenceBundle } from './evidence-bundle';

function failed(report: VerificationReport): Record<string, string> {
  return Object.fromEntries(report.checks.filter((c) => !c.ok).map((c) => [c.check, c.detail]));
}

/** Re-seal the bundle hash after a tampering, so that only the tampering itself is reported. */
function reseal(bundle: EvidenceBundle): EvidenceBundle {
  bundle.bundleHash = computeBundleHash(bundle);
  bundle.certificate.partA.hashValue = bundle.bundleHash;
  return bundle;
}

describe('evidence bundle from a real SQLite store', () => {
  let dir: string;
  let store: SqliteEventStore;
  let fx: BundleFixture;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: systemClock, pollIntervalMs: 20 });
    fx = await makeBundleFixture(store);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds a bundle with Part A pre-filled and Part B blank', () => {
    const b = fx.bundle;
    expect(b.format).toBe(EVIDENCE_BUNDLE_FORMAT);
    expect(b.events.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    expect(b.events.map((e) => e.inclusion.leafIndex)).toEqual([1, 3, 4, 6]);
    expect(b.bundleHash).toMatch(/^[0-9a-f]{64}$/);
    const a = b.certificate.partA;
    expect(a.hashAlgorithm).toBe('SHA-256');
    expect(a.hashValue).toBe(b.bundleHash);
    expect(a.dateTime).toBe('2024-04-20 11:30:00 IST');
    expect(a.place).toBe('District Election Office, Varanasi');
    expect(a.producedBy).toMatchObject({ system: 'Seizure Custody Ledger', version: '0.1.0', host: 'ledger-test', storeKind: 'sqlite' });
    expect(a.statements.producedInOrdinaryUse.statement).toMatch(/ordinary use/);
    expect(a.statements.underLawfulControl.statement).toMatch(/lawful control/);
    expect(a.statements.workingProperly.statement).toMatch(/operating properly/);
    expect(a.signatory).toEqual({ name: '', designation: '', signature: '', date: '', place: '' });
    expect(Object.values(b.certificate.partB).filter((v) => v !== '')).toEqual(['An expert']);
  });

  it('verifies, with the embedded key and with the ledger key', () => {
    const withKey = verifyEvidenceBundle(fx.bundle, { publicKey: fx.key.publicKey });
    expect(failed(withKey)).toEqual({});
    expect(withKey.ok).toBe(true);
    expect(withKey.checks.map((c) => c.check)).toEqual([
      'format',
      'event-hashes',
      'hash-chain',
      'public-key',
      'log-id',
      'head-signature',
      'checkpoint',
      'inclusion-proofs',
      'bundle-hash',
    ]);
    expect(verifyEvidenceBundle(fx.bundle, {}).ok).toBe(true);
  });

  it('survives a JSON round trip (as written to and read from a file)', () => {
    expect(verifyEvidenceBundle(JSON.parse(JSON.stringify(fx.bundle, null, 2)) as EvidenceBundle, { publicKey: fx.key.publicKey }).ok).toBe(
      true,
    );
  });

  it('round-trips Devanagari content in the bundle hash, canonicalised as the ledger does', () => {
    const b = clone(fx.bundle);
    expect(JSON.stringify(b.events[0].data)).toContain('नकद राशि');
    const copy = clone(b) as unknown as Record<string, unknown>;
    delete copy.bundleHash;
    delete (copy.certificate as { partA: Record<string, unknown> }).partA.hashValue;
    expect(bundleHashInput(b)).toBe(projectCanonicalJson(copy as JsonValue));
    expect(computeBundleHash(b)).toBe(b.bundleHash);
    (b.events[0].data as { description: string }).description = 'नकद राशि ₹2,50,000 — एक नीले बैग में';
    expect(failed(verifyEvidenceBundle(b, {}))['bundle-hash']).toMatch(/recomputed/);
  });

  it('catches an amount changed', () => {
    const b = clone(fx.bundle);
    (b.events[0].data as { amount: number }).amount = 25000;
    const f = failed(verifyEvidenceBundle(reseal(b), { publicKey: fx.key.publicKey }));
    expect(Object.keys(f)).toEqual(['event-hashes']);
    expect(f['event-hashes']).toMatch(/revision 0 .*content does not match its recorded hash.*altered/);
  });

  it('catches an event dropped', () => {
    const b = clone(fx.bundle);
    b.events.splice(2, 1);
    const f = failed(verifyEvidenceBundle(reseal(b), { publicKey: fx.key.publicKey }));
    expect(Object.keys(f)).toEqual(['hash-chain']);
    expect(f['hash-chain']).toMatch(/revision 2 is missing before revision 3 — an event was dropped/);
  });

  it('catches the first event dropped', () => {
    const b = clone(fx.bundle);
    b.events.shift();
    expect(failed(verifyEvidenceBundle(reseal(b), {}))['hash-chain']).toMatch(/revision 0 is missing.*dropped/);
  });

  it('catches two events swapped', () => {
    const b = clone(fx.bundle);
    [b.events[1], b.events[2]] = [b.events[2], b.events[1]];
    const f = failed(verifyEvidenceBundle(reseal(b), { publicKey: fx.key.publicKey }));
    expect(Object.keys(f)).toEqual(['hash-chain']);
    expect(f['hash-chain']).toMatch(/out of order: revision 2 comes before revision 1 — events were swapped/);
  });

  it('catches revisions renumbered to hide a swap', () => {
    const b = clone(fx.bundle);
    [b.events[1], b.events[2]] = [b.events[2], b.events[1]];
    b.events[1].revision = 1;
    b.events[2].revision = 2;
    const f = failed(verifyEvidenceBundle(reseal(b), {}));
    expect(f['event-hashes']).toMatch(/revision 1 .*altered/);
  });

  it('catches a head from another key', () => {
    const other = freshKey();
    const b = clone(fx.bundle);
    b.treeHead = signHead({ ...b.treeHead, logId: other.logId }, other);
    b.publicKey = other.publicKeyBase64;
    const f = failed(verifyEvidenceBundle(reseal(b), { publicKey: fx.key.publicKey }));
    expect(f['public-key']).toMatch(/the head is from another key/);
    expect(f['head-signature']).toMatch(/does not verify under the given key/);
  });

  it('catches a head from another log (same key, another logId)', () => {
    const b = clone(fx.bundle);
    const { signature: _ignored, ...head } = b.treeHead;
    b.treeHead = signHead({ ...head, logId: 'ab'.repeat(32) }, fx.key);
    const f = failed(verifyEvidenceBundle(reseal(b), { publicKey: fx.key.publicKey }));
    expect(Object.keys(f)).toEqual(['log-id', 'head-signature']);
    expect(f['log-id']).toMatch(/the head is from another log/);
    expect(f['head-signature']).toMatch(/belongs to log abab/);
  });

  it('catches a head whose root was altered after signing', () => {
    const b = clone(fx.bundle);
    b.treeHead.rootHash = 'cd'.repeat(32);
    const f = failed(verifyEvidenceBundle(reseal(b), { publicKey: fx.key.publicKey }));
    expect(f['head-signature']).toMatch(/signature does not match/);
    expect(f['inclusion-proofs']).toMatch(/computed root differs/);
  });

  it('catches a proof for another tree size', () => {
    const b = clone(fx.bundle);
    const smaller = fx.leaves.slice(0, 5);
    b.events[1].inclusion = { leafIndex: 3, treeSize: 5, proof: inclusionProof(smaller, 3).map(bytesToHex) };
    const f = failed(verifyEvidenceBundle(reseal(b), { publicKey: fx.key.publicKey }));
    expect(Object.keys(f)).toEqual(['inclusion-proofs']);
    expect(f['inclusion-proofs']).toMatch(/revision 1 .*the proof is for another tree size \(5\), not the head's 7/);

    // The same proof passed off as one for the head's size still fails the RFC 9162 check.
    b.events[1].inclusion.treeSize = 7;
    expect(failed(verifyEvidenceBundle(reseal(b), {}))['inclusion-proofs']).toMatch(/revision 1 \(.*leaf 3\)/);
    expect(bytesToHex(rootOf(smaller))).not.toBe(b.treeHead.rootHash);
  });

  it('catches the bundle hash altered', () => {
    const b = clone(fx.bundle);
    b.bundleHash = `${b.bundleHash.slice(0, 63)}${b.bundleHash[63] === '0' ? '1' : '0'}`;
    const f = failed(verifyEvidenceBundle(b, { publicKey: fx.key.publicKey }));
    expect(Object.keys(f)).toEqual(['bundle-hash']);
    expect(f['bundle-hash']).toMatch(/the bundle hash was altered/);
  });

  it('catches custody history changed without resealing', () => {
    const b = clone(fx.bundle);
    b.custodyHistory.handovers = 2;
    expect(Object.keys(failed(verifyEvidenceBundle(b, {})))).toEqual(['bundle-hash']);
  });

  it('refuses an unknown format', () => {
    const b = clone(fx.bundle) as unknown as { format: string };
    b.format = 'seizure-ledger-evidence/3';
    expect(failed(verifyEvidenceBundle(b as unknown as EvidenceBundle, {})).format).toMatch(/unknown format/);
  });

  it('formats IST', () => {
    expect(formatIst('2024-04-19T23:45:10.000Z')).toBe('2024-04-20 05:15:10 IST');
  });
});
