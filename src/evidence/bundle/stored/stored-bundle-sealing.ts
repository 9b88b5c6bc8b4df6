/**
 * The stored form of an issued bundle: the exact bytes the server answered, deflated, and — when
 * the bundle holds opened personal data — encrypted so that every data subject's key is needed to
 * read them again.
 *
 * Why the whole bundle and not each opened value: personal values sit in the events' `revealed`
 * entries AND, opened again, in the custody-history section (transfer reasons, remarks, …), where
 * nothing marks them as personal. Encrypting the whole bytes keeps none of them in clear and gives
 * back the served bytes exactly, with no skeleton to reassemble.
 *
 * How: a fresh 256-bit bundle key encrypts the deflated bytes (AES-256-GCM). The bundle key is split
 * into one XOR share per data-subject key whose values the bundle opened (n random-looking shares
 * whose XOR is the bundle key), and each share is encrypted under its subject's key. Destroying
 * any one of those keys (an erasure) loses its share, hence the bundle key: the stored bundle can
 * no longer be read, which is what an erasure asks of it. Additional data binds the body to the
 * bundle hash, the seizure and the list of keys, and each share to the bundle hash, the seizure,
 * its key id and the number of shares, so no part can be moved to another bundle.
 *
 * A bundle that opened no sealed value (a redacted one, or a ledger without sealing) has no share
 * and its deflated bytes are kept as they are; it holds only what the log itself holds in clear.
 */
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { canonicalJson } from '../../../shared/canonical-json';
import type { KeyLookup, KeyTombstone, SubjectKey } from '../../../sealing/key-store';

export const STORED_BUNDLE_FORMAT = 'seizure-ledger-stored-bundle/1' as const;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** One AES-256-GCM ciphertext, binary parts in standard base64. */
export interface SealedPart {
  readonly nonce: string;
  readonly ciphertext: string;
  readonly tag: string;
}

/** A share of the bundle key, encrypted under one subject key; `sealed` null when that key was already gone as the bundle was stored. */
export interface KeyShare {
  readonly keyId: string;
  readonly sealed: SealedPart | null;
}

export interface StoredBundleForm {
  readonly format: typeof STORED_BUNDLE_FORMAT;
  readonly bundleHash: string;
  readonly seizureId: string;
  /** The deflated bytes: encrypted (`sealed`) when there are shares, else in clear (`clear`). */
  readonly body: { readonly clear: Buffer } | { readonly sealed: SealedPart };
  /** One per subject key, sorted by key id; empty for a bundle without opened personal data. */
  readonly shares: readonly KeyShare[];
}

/** What stands between a stored bundle and its bytes: the keys that are gone, with their tombstones where the key store has one. */
export type OpenedStoredBundle =
  | { readonly status: 'opened'; readonly bytes: Buffer }
  | { readonly status: 'keys-gone'; readonly gone: ReadonlyArray<{ readonly keyId: string; readonly tombstone?: KeyTombstone }> };

/** A stored bundle whose parts do not authenticate under keys that are there: the file was altered or damaged. */
export class StoredBundleDamagedError extends Error {
  override readonly name = 'StoredBundleDamagedError';
}

interface Identity {
  bundleHash: string;
  seizureId: string;
}

const bodyAad = (id: Identity, keyIds: readonly string[]): Buffer =>
  Buffer.from(
    canonicalJson({ bundleHash: id.bundleHash, format: STORED_BUNDLE_FORMAT, keyIds: [...keyIds], part: 'body', seizureId: id.seizureId }),
  );

const shareAad = (id: Identity, keyId: string, shareCount: number): Buffer =>
  Buffer.from(
    canonicalJson({ bundleHash: id.bundleHash, format: STORED_BUNDLE_FORMAT, keyId, part: 'share', seizureId: id.seizureId, shareCount }),
  );

function encrypt(key: KeyObject | Buffer, plaintext: Buffer, aad: Buffer): SealedPart {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

function decrypt(key: KeyObject | Buffer, part: SealedPart, aad: Buffer): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(part.nonce, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(part.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(part.ciphertext, 'base64')), decipher.final()]);
  } catch {
    throw new StoredBundleDamagedError('a part of the stored bundle does not authenticate');
  }
}

const xor = (a: Buffer, b: Buffer): Buffer => Buffer.from(a.map((byte, i) => byte ^ b[i]));

/**
 * The stored form of `bytes`, the bundle as served. `keys`: the subject keys of the personal values
 * it opened, each as the key store gave it (available), or only its id when the key is gone already.
 */
export function sealStoredBundle(id: Identity, bytes: Buffer, keys: ReadonlyArray<SubjectKey | { keyId: string }>): StoredBundleForm {
  const deflated = deflateRawSync(bytes);
  const byId = new Map(keys.map((k) => [k.keyId, k]));
  const keyIds = [...byId.keys()].sort();
  if (keyIds.length === 0) return { format: STORED_BUNDLE_FORMAT, ...id, body: { clear: deflated }, shares: [] };
  const bundleKey = randomBytes(KEY_BYTES);
  const randomShares = keyIds.slice(1).map(() => randomBytes(KEY_BYTES));
  const shareValues = [randomShares.reduce(xor, bundleKey), ...randomShares];
  const shares = keyIds.map((keyId, i): KeyShare => {
    const key = byId.get(keyId);
    const sealed = key && 'key' in key ? encrypt(key.key, shareValues[i], shareAad(id, keyId, keyIds.length)) : null;
    return { keyId, sealed };
  });
  const body = encrypt(bundleKey, deflated, bodyAad(id, keyIds));
  bundleKey.fill(0);
  for (const share of shareValues) share.fill(0);
  return { format: STORED_BUNDLE_FORMAT, ...id, body: { sealed: body }, shares };
}

/** The bytes as they were served, when every key the bundle was sealed under is still there. */
export function openStoredBundle(form: StoredBundleForm, lookup: KeyLookup): OpenedStoredBundle {
  if ('clear' in form.body) return { status: 'opened', bytes: inflateRawSync(form.body.clear) };
  const found = form.shares.map((share) => ({ share, availability: lookup(share.keyId) }));
  const gone = found.flatMap(({ share, availability }) => {
    if (availability.status === 'available' && share.sealed !== null) return [];
    return [{ keyId: share.keyId, ...(availability.status === 'erased' && { tombstone: availability.tombstone }) }];
  });
  if (gone.length > 0) return { status: 'keys-gone', gone };
  const keyIds = form.shares.map((s) => s.keyId);
  const bundleKey = found
    .map(({ share, availability }) => {
      if (availability.status !== 'available' || share.sealed === null) throw new StoredBundleDamagedError('unreachable: a key is gone');
      return decrypt(availability.key.key, share.sealed, shareAad(form, share.keyId, keyIds.length));
    })
    .reduce(xor);
  const deflated = decrypt(bundleKey, form.body.sealed, bodyAad(form, keyIds));
  bundleKey.fill(0);
  return { status: 'opened', bytes: inflateRawSync(deflated) };
}
