/**
 * Computes every known-answer vector of test/vectors/ with the ledger's own code, from fixed
 * inputs and fixed keys only (no clock, no randomness), so that generate.ts writes the same files
 * on every machine and vectors.unit.spec.ts can check that the files still hold.
 */
import { createHash, createPrivateKey } from 'node:crypto';
import { formatCheckpoint } from '../../src/evidence/checkpoint/checkpoint';
import { cosignatureSigner, cosignatureVerifierKey, cosignedMessage } from '../../src/evidence/checkpoint/cosignature';
import { toBase64 } from '../../src/evidence/checkpoint/note-bytes';
import { signNote } from '../../src/evidence/checkpoint/signed-note';
import { eventLeafHash } from '../../src/evidence/merkle/merkle-tree-store';
import { bytesToHex, consistencyProof, hexToBytes, inclusionProof, nodeHash, rootOf } from '../../src/evidence/merkle/rfc9162';
import { signCheckpoint } from '../../src/evidence/tree-heads/log-checkpoint';
import { LogSigningKey } from '../../src/evidence/tree-heads/signing-key';
import { treeHeadSigningInput } from '../../src/evidence/tree-heads/tree-head';
import { GENESIS_HASH, canonicalEventEncoding, chainEvents, encodeNewEvents } from '../../src/ledger/hash-chain';
import type { NewEvent } from '../../src/ledger/event-store';

/** A 32-byte seed from a label: SHA-256 of its UTF-8 bytes. */
export const seedOf = (label: string): Buffer => createHash('sha256').update(label, 'utf8').digest();

export const LOG_KEY_LABEL = 'seizure-custody-ledger known-answer log key';
export const WITNESS_KEY_LABEL = 'seizure-custody-ledger known-answer witness key';
export const ORIGIN = 'ledger.example.gov.in/seizures';
export const WITNESS_NAME = 'witness.example.org/w1';
export const COSIGNATURE_TIME = 1713592800; // 2024-04-20T06:00:00Z
export const HEAD_TIMESTAMP = '2024-04-20T06:00:00.000Z';

/** The log key as the server holds it: an Ed25519 PKCS#8 private key made from the seed. */
export function logKeyFromSeed(seed: Uint8Array): LogSigningKey {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return new LogSigningKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
}

const STREAMS = ['seizure-5b0c1f9e-6a7d-4f61-9d51-0f3e2c8a4b10', 'seizure-9e2d7c41-3b8a-4e0f-a6c5-1d4b7f2e9a33'];
const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** Eight events in two streams, in commit order; data with integers, Devanagari and nesting to exercise RFC 8785. */
function events(): Array<{ streamName: string; event: NewEvent }> {
  const meta = (n: number) => ({ actor: { id: `officer-${n}`, role: 'flying-squad' }, occurredAt: `2024-04-20T0${n}:00:00.000Z` });
  return [
    {
      streamName: STREAMS[0],
      event: { id: uuid(1), type: 'SeizureRecorded', data: { amountPaise: 250000000, place: 'नासिक', items: 2 }, metadata: meta(1) },
    },
    {
      streamName: STREAMS[0],
      event: { id: uuid(2), type: 'ItemSealed', data: { itemNo: 1, seal: { id: 'S-001', by: 'officer-1' } }, metadata: meta(2) },
    },
    {
      streamName: STREAMS[1],
      event: { id: uuid(3), type: 'SeizureRecorded', data: { liquorMl: 75000, value: 1.5e3, note: null }, metadata: meta(3) },
    },
    {
      streamName: STREAMS[0],
      event: { id: uuid(4), type: 'CustodyTransferred', data: { to: 'treasury', zeta: true, alpha: [3, 1, 2] }, metadata: meta(4) },
    },
    {
      streamName: STREAMS[1],
      event: { id: uuid(5), type: 'ItemSealed', data: { itemNo: 1, seal: { id: 'S-002', by: 'officer-3' } }, metadata: meta(5) },
    },
    {
      streamName: STREAMS[1],
      event: { id: uuid(6), type: 'CustodyTransferred', data: { to: 'malkhana', remarks: 'é "quoted" \\ ✓' }, metadata: meta(6) },
    },
    {
      streamName: STREAMS[0],
      event: { id: uuid(7), type: 'SeizureReleased', data: { order: 'DEO/2024/17', amountPaise: 0 }, metadata: meta(7) },
    },
    { streamName: STREAMS[1], event: { id: uuid(8), type: 'SeizureConfiscated', data: {}, metadata: meta(8) } },
  ];
}

export interface ChainHashVector {
  streamName: string;
  revision: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
  prevHash: string;
  canonicalEncoding: string;
  hash: string;
}

export function chainHashVectors(): ChainHashVector[] {
  const heads = new Map<string, { revision: number; hash: string }>();
  return events().map(({ streamName, event }) => {
    const head = heads.get(streamName) ?? { revision: -1, hash: GENESIS_HASH };
    const [encoded] = encodeNewEvents([event]);
    const [chained] = chainEvents(streamName, head.revision + 1, head.hash, [encoded]);
    heads.set(streamName, { revision: chained.revision, hash: chained.hash });
    const fields = {
      streamName,
      revision: chained.revision,
      eventId: chained.id,
      type: chained.type,
      dataText: chained.dataText,
      metadataText: chained.metadataText,
      prevHash: chained.prevHash,
    };
    return {
      streamName,
      revision: chained.revision,
      eventId: chained.id,
      type: chained.type,
      data: event.data,
      metadata: event.metadata,
      prevHash: chained.prevHash,
      canonicalEncoding: canonicalEventEncoding(fields),
      hash: chained.hash,
    };
  });
}

export function merkleVectors(leafData: string[]) {
  const leaves = leafData.map(hexToBytes);
  const hex = (bytes: Uint8Array[]): string[] => bytes.map(bytesToHex);
  const sizes = leaves.map((_, i) => i + 1);
  return {
    leaves: leafData,
    leafHashes: leafData.map((leaf) => bytesToHex(eventLeafHash(leaf))),
    nodeHashExample: {
      left: bytesToHex(eventLeafHash(leafData[0])),
      right: bytesToHex(eventLeafHash(leafData[1])),
      hash: bytesToHex(nodeHash(eventLeafHash(leafData[0]), eventLeafHash(leafData[1]))),
    },
    emptyRoot: bytesToHex(rootOf([])),
    roots: sizes.map((treeSize) => ({ treeSize, rootHash: bytesToHex(rootOf(leaves.slice(0, treeSize))) })),
    inclusionProofs: sizes.flatMap((treeSize) =>
      Array.from({ length: treeSize }, (_, leafIndex) => ({
        leafIndex,
        treeSize,
        proof: hex(inclusionProof(leaves.slice(0, treeSize), leafIndex)),
      })),
    ),
    consistencyProofs: sizes.flatMap((secondSize) =>
      Array.from({ length: secondSize }, (_, i) => ({
        firstSize: i + 1,
        secondSize,
        proof: hex(consistencyProof(leaves.slice(0, secondSize), i + 1)),
      })),
    ),
  };
}

export function checkpointVectors(rootHash: string, treeSize: number) {
  const logSeed = seedOf(LOG_KEY_LABEL);
  const key = logKeyFromSeed(logSeed);
  const head = key.sign({ treeSize, rootHash, timestamp: HEAD_TIMESTAMP });
  const checkpointText = formatCheckpoint({ origin: ORIGIN, treeSize, rootHash: hexToBytes(rootHash) });
  const signedCheckpoint = signCheckpoint(key, ORIGIN, head);
  const witness = cosignatureSigner(WITNESS_NAME, new Uint8Array(seedOf(WITNESS_KEY_LABEL)), () => COSIGNATURE_TIME);
  const cosigned = signNote({ text: checkpointText }, key.noteSigner(ORIGIN), witness);
  return {
    logKey: {
      seedLabel: LOG_KEY_LABEL,
      seed: logSeed.toString('hex'),
      publicKey: bytesToHex(key.publicKeyRaw),
      logId: key.logId,
      origin: ORIGIN,
      noteKeyId: key.noteVerifierKey(ORIGIN).split('+')[1],
      verifierKey: key.noteVerifierKey(ORIGIN),
    },
    signedTreeHead: { head, signingInput: new TextDecoder().decode(treeHeadSigningInput(head)) },
    checkpoint: {
      rootHashBase64: toBase64(hexToBytes(rootHash)),
      text: checkpointText,
      signedNote: signedCheckpoint,
      signatureLine: signedCheckpoint.slice(checkpointText.length + 1),
    },
    cosignature: {
      witnessKey: {
        seedLabel: WITNESS_KEY_LABEL,
        seed: seedOf(WITNESS_KEY_LABEL).toString('hex'),
        name: WITNESS_NAME,
        publicKey: bytesToHex(witness.publicKey),
        verifierKey: cosignatureVerifierKey(WITNESS_NAME, witness.publicKey),
      },
      timestamp: COSIGNATURE_TIME,
      signedMessage: new TextDecoder().decode(cosignedMessage(COSIGNATURE_TIME, checkpointText)),
      signatureLine: cosigned.split('\n').slice(-2)[0] + '\n',
      cosignedNote: cosigned,
    },
  };
}

/** Every vector file, by name. */
export function allVectors(): Record<string, unknown> {
  const chain = chainHashVectors();
  const merkle = merkleVectors(chain.map((e) => e.hash));
  const last = merkle.roots[merkle.roots.length - 1];
  return {
    'chain-hash.json': { description: 'Event chain hashes: SHA-256 of the RFC 8785 canonical JSON of the chained fields.', events: chain },
    'merkle.json': { description: 'RFC 9162 Merkle tree over the chain hashes above (leaf data = the 32 bytes of each hash).', ...merkle },
    'checkpoint.json': {
      description: 'The signed tree head, C2SP checkpoint and cosignature of the tree of all eight leaves, with fixed keys.',
      treeSize: last.treeSize,
      rootHash: last.rootHash,
      ...checkpointVectors(last.rootHash, last.treeSize),
    },
  };
}
