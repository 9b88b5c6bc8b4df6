import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { formatCheckpoint } from '../checkpoint/checkpoint';
import { ed25519KeyId, signNote, type NoteSigner } from '../checkpoint/signed-note';
import type { EventStore } from '../../ledger/event-store';
import { hexToBytes, inclusionProof, rootOf, bytesToHex } from '../merkle/rfc9162';
import { treeHeadSigningInput, type SignedTreeHead, type TreeHead } from '../tree-heads/tree-head';
import { buildEvidenceBundle, SYSTEM_NAME, type BundleCheckpoint, type EvidenceBundle, type EvidenceBundleInput } from './evidence-bundle';

/**
 * Used by the evidence tests only (no production code imports it): appends a seizure's events to
 * a real store (passed in, so this file stays behind the EventStore port), builds the Merkle tree
 * over every event's 32-byte chain hash in commit order, signs a head with a fresh Ed25519 key and
 * builds the bundle.
 */
export interface TestKey {
  publicKey: Uint8Array;
  publicKeyBase64: string;
  privateKey: KeyObject;
  logId: string;
}

export function freshKey(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url'));
  return {
    publicKey: raw,
    publicKeyBase64: Buffer.from(raw).toString('base64'),
    privateKey,
    logId: createHash('sha256').update(raw).digest('hex'),
  };
}

export function signHead(head: TreeHead, key: TestKey): SignedTreeHead {
  const signature = sign(null, treeHeadSigningInput(head), key.privateKey).toString('base64');
  return { ...head, signature };
}

export const TEST_ORIGIN = 'ledger.test.example/seizures';

/** The test key as the log's note signer of `origin`. */
export function noteSignerOf(key: TestKey, origin = TEST_ORIGIN): NoteSigner {
  return {
    name: origin,
    keyId: ed25519KeyId(origin, key.publicKey),
    sign: (message) => new Uint8Array(sign(null, message, key.privateKey)),
  };
}

/** The head's checkpoint signed by the log key, then by each cosigner (witnesses) in turn. */
export function signTestCheckpoint(
  head: Pick<TreeHead, 'treeSize' | 'rootHash'>,
  key: TestKey,
  cosigners: readonly NoteSigner[] = [],
  origin = TEST_ORIGIN,
): BundleCheckpoint {
  const text = formatCheckpoint({ origin, treeSize: head.treeSize, rootHash: hexToBytes(head.rootHash) });
  return { origin, note: signNote({ text }, noteSignerOf(key, origin), ...cosigners) };
}

export interface BundleFixture {
  bundle: EvidenceBundle;
  key: TestKey;
  seizureId: string;
  /** Every leaf of the log (events' chain hashes in commit order). */
  leaves: Uint8Array[];
}

export async function makeBundleFixture(store: EventStore, cosigners: readonly NoteSigner[] = []): Promise<BundleFixture> {
  const seizureId = randomUUID();
  const stream = `seizure-${seizureId}`;
  const other = `seizure-${randomUUID()}`;
  const meta = { actor: 'officer-17', occurredAt: '2024-04-19T05:30:00.000Z' };
  await store.appendToStream(other, [
    { id: randomUUID(), type: 'SeizureRecorded', data: { category: 'liquor', litres: 120.5 }, metadata: meta },
  ]);
  await store.appendToStream(stream, [
    {
      id: randomUUID(),
      type: 'SeizureRecorded',
      data: {
        category: 'cash',
        amount: 250000,
        currency: 'INR',
        description: 'नकद राशि ₹2,50,000 — एक काले बैग में',
        place: 'वाराणसी, उत्तर प्रदेश',
      },
      metadata: meta,
    },
  ]);
  await store.appendToStream(other, [{ id: randomUUID(), type: 'HandoverInitiated', data: { to: 'excise-warehouse' }, metadata: meta }]);
  await store.appendToStream(stream, [
    { id: randomUUID(), type: 'HandoverInitiated', data: { to: 'district-treasury', sealNumbers: ['S-101', 'S-102'] }, metadata: meta },
    {
      id: randomUUID(),
      type: 'HandoverAcknowledged',
      data: { by: 'treasury-officer', countedAmount: 250000, sealsIntact: true },
      metadata: meta,
    },
  ]);
  await store.appendToStream(other, [{ id: randomUUID(), type: 'Noted', data: { note: 'x' }, metadata: meta }]);
  await store.appendToStream(stream, [
    { id: randomUUID(), type: 'DepositConfirmed', data: { treasuryReceipt: 'TR/2024/0042' }, metadata: meta },
  ]);

  const all = await store.readAll();
  const leaves = all.map((e) => hexToBytes(e.hash));
  const key = freshKey();
  const head = signHead(
    { logId: key.logId, treeSize: leaves.length, rootHash: bytesToHex(rootOf(leaves)), timestamp: '2024-04-20T06:00:00.000Z' },
    key,
  );
  const events = await store.readStream(stream);
  const indexOf = new Map(all.map((e, i) => [e.id, i]));
  const bundle = buildEvidenceBundle({
    seizureId,
    events,
    inclusion: events.map((e) => {
      const leafIndex = indexOf.get(e.id)!;
      return { eventId: e.id, leafIndex, proof: inclusionProof(leaves, leafIndex) };
    }),
    treeHead: head,
    checkpoint: signTestCheckpoint(head, key, cosigners),
    publicKey: key.publicKeyBase64,
    custodyHistory: { current: { holder: 'district-treasury', since: '2024-04-19T09:00:00.000Z' }, handovers: 1, टिप्पणी: 'सील अक्षुण्ण' },
    generatedAt: '2024-04-20T06:00:00.000Z',
    server: { system: SYSTEM_NAME, version: '0.1.0', host: 'ledger-test', storeKind: store.kind },
    place: 'District Election Office, Varanasi',
  });
  return { bundle, key, seizureId, leaves };
}

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The bundle of a seizure already in the store, against a head signed over the whole log with a fresh key. */
export async function bundleFromStore(
  store: EventStore,
  seizureId: string,
  generatedAt = '2024-04-20T06:00:00.000Z',
  revealed?: EvidenceBundleInput['revealed'],
): Promise<BundleFixture> {
  const all = await store.readAll();
  const leaves = all.map((e) => hexToBytes(e.hash));
  const key = freshKey();
  const head = signHead({ logId: key.logId, treeSize: leaves.length, rootHash: bytesToHex(rootOf(leaves)), timestamp: generatedAt }, key);
  const events = await store.readStream(`seizure-${seizureId}`);
  const indexOf = new Map(all.map((e, i) => [e.id, i]));
  const bundle = buildEvidenceBundle({
    seizureId,
    events,
    ...(revealed ? { revealed } : {}),
    inclusion: events.map((e) => ({ eventId: e.id, leafIndex: indexOf.get(e.id)!, proof: inclusionProof(leaves, indexOf.get(e.id)!) })),
    treeHead: head,
    checkpoint: signTestCheckpoint(head, key),
    publicKey: key.publicKeyBase64,
    custodyHistory: { seizureId, note: 'the read model is not under test here' },
    generatedAt,
    server: { system: SYSTEM_NAME, version: '0.1.0', host: 'ledger-test', storeKind: store.kind },
    place: 'District Election Office, Varanasi',
  });
  return { bundle, key, seizureId, leaves };
}
