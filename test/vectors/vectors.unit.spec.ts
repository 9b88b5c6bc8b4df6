import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/evidence/checkpoint/checkpoint';
import { parseCosignatureVerifierKey } from '../../src/evidence/checkpoint/cosignature';
import { openNote, parseVerifierKey, verifierList } from '../../src/evidence/checkpoint/signed-note';
import { storedConsistencyProof, storedInclusionProof, storedRoot } from '../../src/evidence/merkle/merkle-tree-store';
import { hexToBytes, rootOf, verifyConsistency, verifyInclusion } from '../../src/evidence/merkle/rfc9162';
import { verifyTreeHeadSignature } from '../../src/evidence/verify/tree-head.verify';
import { canonicalJson } from '../../src/ledger/hash-chain';
import type { JsonValue } from '../../src/shared/json';
import { allVectors, chainHashVectors, checkpointVectors, merkleVectors } from './known-answers';

const read = <T>(name: string): T => JSON.parse(readFileSync(join(__dirname, name), 'utf8')) as T;
const sha256 = (bytes: Uint8Array | string): Buffer => createHash('sha256').update(bytes).digest();
const ed25519Public = (raw: Buffer) =>
  createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });

type Chain = { events: ReturnType<typeof chainHashVectors> };
type Merkle = ReturnType<typeof merkleVectors>;
type Checkpoint = ReturnType<typeof checkpointVectors> & { treeSize: number; rootHash: string };

/**
 * The committed vectors are what the code computes today (regenerate with generate.ts only for a
 * deliberate format change), and each is checked again by a second route: node:crypto for hashes and
 * signatures, the verifiers for proofs, the stored-tree algorithms for the reference tree.
 */
describe('known-answer vectors (test/vectors)', () => {
  it('are exactly what the code computes', () => {
    for (const [name, content] of Object.entries(allVectors())) expect({ name, content: read(name) }).toEqual({ name, content });
  });

  it('chain-hash.json: each hash is SHA-256 of the canonical encoding, which is RFC 8785 of the fields, chained per stream', () => {
    const { events } = read<Chain>('chain-hash.json');
    const last = new Map<string, string>();
    for (const e of events) {
      const fields = {
        streamName: e.streamName,
        revision: e.revision,
        eventId: e.eventId,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        prevHash: e.prevHash,
      };
      expect(e.canonicalEncoding).toBe(canonicalJson(fields as JsonValue));
      expect(e.hash).toBe(sha256(Buffer.from(e.canonicalEncoding, 'utf8')).toString('hex'));
      expect(e.prevHash).toBe(last.get(e.streamName) ?? '0'.repeat(64));
      last.set(e.streamName, e.hash);
    }
    expect(events.map((e) => e.revision)).toEqual([0, 1, 0, 2, 1, 2, 3, 3]);
  });

  it('merkle.json: leaf and node hashes by hand, every proof verifies, the stored-tree algorithms agree', () => {
    const m = read<Merkle>('merkle.json');
    const leaves = m.leaves.map(hexToBytes);
    m.leaves.forEach((leaf, i) =>
      expect(m.leafHashes[i]).toBe(sha256(Buffer.concat([Buffer.from([0]), Buffer.from(leaf, 'hex')])).toString('hex')),
    );
    const { left, right, hash } = m.nodeHashExample;
    expect(hash).toBe(sha256(Buffer.concat([Buffer.from([1]), Buffer.from(left, 'hex'), Buffer.from(right, 'hex')])).toString('hex'));
    expect(m.emptyRoot).toBe(sha256('').toString('hex'));
    // Subtree hashes for the stored-tree algorithms, from the reference recursion.
    const subtree = (level: number, index: number): Uint8Array => rootOf(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level));
    const rootAt = (size: number): Uint8Array => hexToBytes(m.roots[size - 1].rootHash);
    for (const { treeSize, rootHash } of m.roots) expect(Buffer.from(storedRoot(subtree, treeSize)).toString('hex')).toBe(rootHash);
    for (const p of m.inclusionProofs) {
      const proof = p.proof.map(hexToBytes);
      expect(
        verifyInclusion({
          leafIndex: p.leafIndex,
          treeSize: p.treeSize,
          leafHash: hexToBytes(m.leafHashes[p.leafIndex]),
          proof,
          rootHash: rootAt(p.treeSize),
        }),
      ).toEqual({ ok: true });
      expect(storedInclusionProof(subtree, p.leafIndex, p.treeSize)).toEqual(proof);
    }
    for (const p of m.consistencyProofs) {
      const proof = p.proof.map(hexToBytes);
      expect(
        verifyConsistency({
          firstSize: p.firstSize,
          secondSize: p.secondSize,
          firstRoot: rootAt(p.firstSize),
          secondRoot: rootAt(p.secondSize),
          proof,
        }),
      ).toEqual({ ok: true });
      expect(storedConsistencyProof(subtree, p.firstSize, p.secondSize)).toEqual(proof);
    }
    expect([m.inclusionProofs.length, m.consistencyProofs.length]).toEqual([36, 36]);
  });

  it('checkpoint.json: the head, the checkpoint and the cosignature verify, by our verifiers and by node:crypto', () => {
    const c = read<Checkpoint>('checkpoint.json');
    const logPublic = Buffer.from(c.logKey.publicKey, 'hex');
    expect(c.logKey.logId).toBe(sha256(logPublic).toString('hex'));
    expect(verifyTreeHeadSignature(c.signedTreeHead.head, logPublic)).toEqual({ ok: true });
    expect(
      verify(
        null,
        Buffer.from(c.signedTreeHead.signingInput),
        ed25519Public(logPublic),
        Buffer.from(c.signedTreeHead.head.signature, 'base64'),
      ),
    ).toBe(true);

    expect(c.checkpoint.text).toBe(`${c.logKey.origin}\n${c.treeSize}\n${Buffer.from(c.rootHash, 'hex').toString('base64')}\n`);
    const keyId = sha256(Buffer.concat([Buffer.from(`${c.logKey.origin}\n`), Buffer.from([0x01]), logPublic])).subarray(0, 4);
    expect(c.logKey.noteKeyId).toBe(keyId.toString('hex'));
    const line = Buffer.from(c.checkpoint.signatureLine.slice(`\u2014 ${c.logKey.origin} `.length, -1), 'base64');
    expect(line.subarray(0, 4)).toEqual(keyId);
    expect(verify(null, Buffer.from(c.checkpoint.text), ed25519Public(logPublic), line.subarray(4))).toBe(true);
    const logVerifier = parseVerifierKey(c.logKey.verifierKey);
    const opened = openCheckpoint(c.checkpoint.signedNote, { origin: c.logKey.origin, logVerifier });
    expect(opened.ok && Buffer.from(opened.checkpoint.rootHash).toString('hex')).toBe(c.rootHash);

    const w = c.cosignature;
    const witnessPublic = Buffer.from(w.witnessKey.publicKey, 'hex');
    expect(w.signedMessage).toBe(`cosignature/v1\ntime ${w.timestamp}\n${c.checkpoint.text}`);
    const cosig = Buffer.from(w.signatureLine.slice(`\u2014 ${w.witnessKey.name} `.length, -1), 'base64');
    expect(cosig.subarray(0, 4)).toEqual(
      sha256(Buffer.concat([Buffer.from(`${w.witnessKey.name}\n`), Buffer.from([0x04]), witnessPublic])).subarray(0, 4),
    );
    expect(cosig.readBigUInt64BE(4)).toBe(BigInt(w.timestamp));
    expect(verify(null, Buffer.from(w.signedMessage), ed25519Public(witnessPublic), cosig.subarray(12))).toBe(true);
    expect(w.cosignedNote).toBe(`${c.checkpoint.signedNote}${w.signatureLine}`);
    const both = openNote(w.cosignedNote, verifierList(logVerifier, parseCosignatureVerifierKey(w.witnessKey.verifierKey)));
    expect(both.sigs.map((s) => s.name)).toEqual([c.logKey.origin, w.witnessKey.name]);
  });
});
