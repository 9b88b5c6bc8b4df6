import { createHash } from 'node:crypto';
import { bytesToHex, consistencyProof, rootOf } from '../merkle/rfc9162';
import { freshKey, signHead, type TestKey } from '../bundle/bundle.test-support';
import type { SignedTreeHead } from '../tree-heads/tree-head';
import { verifyHeadConsistency } from './consistency.verify';

const leaves = Array.from({ length: 13 }, (_, i) => new Uint8Array(createHash('sha256').update(`event ${i}`).digest()));

function head(key: TestKey, size: number, timestamp: string, logId = key.logId): SignedTreeHead {
  return signHead({ logId, treeSize: size, rootHash: bytesToHex(rootOf(leaves.slice(0, size))), timestamp }, key);
}

const failed = (r: ReturnType<typeof verifyHeadConsistency>) =>
  Object.fromEntries(r.checks.filter((c) => !c.ok).map((c) => [c.check, c.detail]));

describe('verifyHeadConsistency', () => {
  const key = freshKey();
  const older = head(key, 5, '2024-04-19T06:00:00.000Z');
  const newer = head(key, 13, '2024-04-20T06:00:00.000Z');
  const proof = consistencyProof(leaves, 5).map(bytesToHex);

  it('accepts a newer head that extends the older one', () => {
    const r = verifyHeadConsistency(older, newer, proof, key.publicKey);
    expect(failed(r)).toEqual({});
    expect(r.ok).toBe(true);
  });

  it('catches a wrong proof, a forged signature, another log, and heads out of order', () => {
    expect(failed(verifyHeadConsistency(older, newer, proof.slice(1), key.publicKey))['consistency-proof']).toMatch(
      /not an append-only extension/,
    );
    expect(failed(verifyHeadConsistency({ ...older, treeSize: 6 }, newer, proof, key.publicKey))['older-head-signature']).toMatch(
      /does not verify: the signature does not match/,
    );
    const other = freshKey();
    expect(Object.keys(failed(verifyHeadConsistency(older, head(other, 13, newer.timestamp), proof, key.publicKey)))).toEqual([
      'newer-head-signature',
      'same-log',
    ]);
    const foreign = head(key, 13, newer.timestamp, 'ab'.repeat(32));
    expect(failed(verifyHeadConsistency(older, foreign, proof, key.publicKey))['same-log']).toMatch(/a head from another log/);
    const r = failed(verifyHeadConsistency(newer, older, proof, key.publicKey));
    expect(r['sizes-ordered']).toMatch(/only grows/);
    expect(r['timestamps-ordered']).toMatch(/not before/);
    const early = head(key, 13, '2024-04-18T06:00:00.000Z');
    expect(Object.keys(failed(verifyHeadConsistency(older, early, proof, key.publicKey)))).toEqual(['timestamps-ordered']);
  });
});
