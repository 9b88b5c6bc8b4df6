import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';

/**
 * Data keys are stored wrapped by the key-encryption key (KEK): AES-256-GCM with a random 96-bit
 * nonce, stored as nonce ‖ ciphertext ‖ tag (12 + 32 + 16 bytes). The additional data is the UTF-8
 * of the canonical JSON of { "format": "seizure-ledger-pd-key/1", "keyId", "seizureId", "subject" },
 * so a wrapped key copied into another row (another subject, another seizure) does not unwrap.
 */
export const WRAP_FORMAT = 'seizure-ledger-pd-key/1';
export const DATA_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const WRAPPED_KEY_BYTES = NONCE_BYTES + DATA_KEY_BYTES + TAG_BYTES;
const CHECK_LABEL = 'seizure-ledger-pd-kek-check/1';

export interface KeyRecord {
  readonly keyId: string;
  readonly seizureId: string;
  readonly subject: string;
}

const aadOf = ({ keyId, seizureId, subject }: KeyRecord): Buffer =>
  Buffer.from(canonicalJson({ format: WRAP_FORMAT, keyId, seizureId, subject }), 'utf8');

/** A fresh random data key. */
export const newDataKey = (): KeyObject => createSecretKey(randomBytes(DATA_KEY_BYTES));

export function wrapKey(kek: KeyObject, record: KeyRecord, key: KeyObject): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadOf(record));
  const raw = key.export();
  const ciphertext = Buffer.concat([cipher.update(raw), cipher.final()]);
  raw.fill(0);
  return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]);
}

/** The data key, or undefined when the wrapped bytes do not authenticate under this KEK and record. */
export function unwrapKey(kek: KeyObject, record: KeyRecord, wrapped: Uint8Array): KeyObject | undefined {
  if (wrapped.length !== WRAPPED_KEY_BYTES) return undefined;
  const bytes = Buffer.from(wrapped);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, bytes.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aadOf(record));
    decipher.setAuthTag(bytes.subarray(NONCE_BYTES + DATA_KEY_BYTES));
    const raw = Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, NONCE_BYTES + DATA_KEY_BYTES)), decipher.final()]);
    const key = createSecretKey(raw);
    raw.fill(0);
    return key;
  } catch {
    return undefined;
  }
}

/**
 * A check value of the KEK (HMAC-SHA-256 under it of a fixed label), stored with the keys so that
 * start-up with another KEK fails at once and clearly rather than at the first reveal. Says
 * nothing about the KEK itself.
 */
export const kekCheckValue = (kek: KeyObject): string => createHmac('sha256', kek).update(CHECK_LABEL).digest('hex');
