/**
 * Ed25519 checkpoint cosignatures, `cosignature/v1` (https://c2sp.org/tlog-cosignature): a
 * witness's note signature over `cosignature/v1\ntime <seconds>\n` + the checkpoint text, carried
 * as key ID (type 0x04) || 8-byte big-endian timestamp || Ed25519 signature. Follows
 * transparency-dev/formats note/note_cosigv1.go (Apache-2.0). Pure and portable, like signed-note.ts.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { concatBytes, fromBase64, utf8 } from './note-bytes';
import {
  ED25519_SIGNATURE_TYPE,
  NoteError,
  noteKeyId,
  splitVerifierKey,
  verifierKeyString,
  verifyEd25519,
  type NoteSigner,
  type NoteVerifier,
} from './signed-note';

/** Signature type of timestamped Ed25519 checkpoint cosignatures. */
export const COSIGNATURE_V1_TYPE = 0x04;
const TIMESTAMP_BYTES = 8;
const SIGNATURE_BYTES = 64;
/** The spec's ceiling for a timestamp is 2^63 - 1; this code also needs it to be an exact JS number. */
const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

const typed = (publicKey: Uint8Array): Uint8Array => concatBytes(new Uint8Array([COSIGNATURE_V1_TYPE]), publicKey);

/** SHA-256(name || 0x0A || 0x04 || public key)[:4]. */
export const cosignatureKeyId = (name: string, publicKey: Uint8Array): number => noteKeyId(name, typed(publicKey));

/** The witness's verifier key string, `<name>+<hex key ID>+<base64(0x04 || public key)>`. */
export function cosignatureVerifierKey(name: string, publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new NoteError('malformed-key', `invalid public key size ${publicKey.length}, expected 32`);
  return verifierKeyString(name, typed(publicKey));
}

/**
 * The exact bytes a cosigner signs. Like the Go reference, the checkpoint text must hold at least
 * three lines (two newlines); every line, extension lines included, is signed.
 */
export function cosignedMessage(timestamp: number, checkpointText: string): Uint8Array {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new TypeError(`timestamp ${timestamp} is not a non-negative integer of seconds`);
  if (checkpointText.split('\n').length < 3) throw new TypeError('cosigned note format invalid');
  return utf8(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`);
}

function timestampBytes(timestamp: number): Uint8Array {
  const out = new Uint8Array(TIMESTAMP_BYTES);
  let rest = timestamp;
  for (let i = TIMESTAMP_BYTES - 1; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

/** The 8-byte big-endian timestamp at `offset`, or null beyond what a JS number holds exactly. */
function readTimestamp(bytes: Uint8Array, offset: number): number | null {
  let value = 0;
  for (let i = 0; i < TIMESTAMP_BYTES; i++) value = value * 256 + bytes[offset + i];
  return value <= MAX_TIMESTAMP ? value : null;
}

/**
 * A cosigner: signs a checkpoint text at the time `nowSeconds` gives (Unix seconds), as a
 * NoteSigner, so `signNote(note, cosigner)` appends its line. `seed` is the 32-byte Ed25519 private key.
 */
export function cosignatureSigner(name: string, seed: Uint8Array, nowSeconds: () => number): NoteSigner & { publicKey: Uint8Array } {
  if (seed.length !== 32) throw new NoteError('malformed-key', 'malformed verifier id');
  const publicKey = ed25519.getPublicKey(seed);
  return {
    name,
    keyId: cosignatureKeyId(name, publicKey),
    publicKey,
    sign(message) {
      const timestamp = nowSeconds();
      const text = new TextDecoder().decode(message);
      return concatBytes(timestampBytes(timestamp), ed25519.sign(cosignedMessage(timestamp, text), seed));
    },
  };
}

/** Checks a cosignature (timestamp || signature, without the key ID) over a checkpoint text. */
export function verifyCosignature(publicKey: Uint8Array, checkpointText: Uint8Array | string, signature: Uint8Array): boolean {
  if (signature.length !== TIMESTAMP_BYTES + SIGNATURE_BYTES) return false;
  const timestamp = readTimestamp(signature, 0);
  if (timestamp === null) return false;
  const text = typeof checkpointText === 'string' ? checkpointText : new TextDecoder().decode(checkpointText);
  let message: Uint8Array;
  try {
    message = cosignedMessage(timestamp, text);
  } catch {
    return false;
  }
  return verifyEd25519(publicKey, message, signature.slice(TIMESTAMP_BYTES));
}

/**
 * A witness's verifier from its key string (Go's NewVerifierForCosignatureV1): type 0x04 keys,
 * or a plain Ed25519 (0x01) key of the same name, whose cosignatures carry the 0x04 key ID. Unlike
 * the Go code, the key ID in a 0x04 key string must be the right one.
 */
export function parseCosignatureVerifierKey(vkey: string): NoteVerifier & { publicKey: Uint8Array } {
  const { name, keyId, typedKey } = splitVerifierKey(vkey);
  if (typedKey[0] !== ED25519_SIGNATURE_TYPE && typedKey[0] !== COSIGNATURE_V1_TYPE) {
    throw new NoteError('unknown-key-algorithm', 'unknown verifier algorithm');
  }
  if (keyId !== noteKeyId(name, typedKey)) throw new NoteError('invalid-key-id', 'invalid verifier hash');
  const publicKey = typedKey.slice(1);
  if (publicKey.length !== 32) throw new NoteError('malformed-key', 'malformed verifier id');
  return {
    name,
    keyId: cosignatureKeyId(name, publicKey),
    publicKey,
    verify: (message, signature) => verifyCosignature(publicKey, message, signature),
  };
}

/**
 * The time a cosignature claims, in Unix seconds, from its base64 (key ID || timestamp ||
 * signature), without verifying it; null when it is not a cosignature.
 */
export function cosignatureTimestamp(base64: string): number | null {
  const raw = fromBase64(base64);
  if (raw === null || raw.length < 4 + TIMESTAMP_BYTES + SIGNATURE_BYTES) return null;
  return readTimestamp(raw, 4);
}
