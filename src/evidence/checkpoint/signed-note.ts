/**
 * Signed notes (https://c2sp.org/signed-note): a text, a blank line, then signature lines
 * `— <key name> base64(key ID || signature)`. Ported from golang.org/x/mod/sumdb/note (BSD-3-Clause)
 * rule for rule, with its error messages, so that this code and the Go reference accept and reject
 * the same notes and keys; signed-note.unit.spec.ts replays the Go package's own test vectors.
 *
 * Pure and portable (@noble/curves, @noble/hashes; no node:crypto, no Buffer): the CLI and a
 * browser run it as the server does.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha256';
import {
  bytesToUint32,
  concatBytes,
  cut,
  decodeUtf8,
  hasControlCharacter,
  fromBase64,
  isValidKeyName,
  keyIdHex,
  toBase64,
  uint32ToBytes,
  utf8,
} from './note-bytes';

/** Signature type of plain Ed25519 note signatures. */
export const ED25519_SIGNATURE_TYPE = 0x01;
/** Go stops reading a note after this many signature lines. */
export const MAX_NOTE_SIGNATURES = 100;

export interface NoteVerifier {
  readonly name: string;
  /** uint32 key ID. */
  readonly keyId: number;
  readonly verify: (message: Uint8Array, signature: Uint8Array) => boolean;
}

export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly sign: (message: Uint8Array) => Uint8Array;
}

/** One signature line: the key's name and ID, and the base64 exactly as it appeared. */
export interface NoteSignature {
  name: string;
  keyId: number;
  base64: string;
}

export interface Note {
  /** The text, ending in a newline, without the blank line before the signatures. */
  text: string;
  /** Signatures by known keys, verified. */
  sigs: NoteSignature[];
  /** Signatures by unknown keys, kept but not checked. */
  unverifiedSigs: NoteSignature[];
}

export type NoteErrorKind =
  | 'malformed-note'
  | 'unverified-note'
  | 'invalid-signature'
  | 'ambiguous-key'
  | 'mismatched-verifier'
  | 'invalid-signer'
  | 'malformed-key'
  | 'invalid-key-id'
  | 'unknown-key-algorithm';

/** Why a note or key was refused; `message` is the Go reference's error text. */
export class NoteError extends Error {
  constructor(
    readonly kind: NoteErrorKind,
    message: string,
    /** For `unverified-note`: the parsed note, whose signatures are all by unknown keys. */
    readonly note?: Note,
  ) {
    super(message);
    this.name = 'NoteError';
  }
}

const malformedNote = (): NoteError => new NoteError('malformed-note', 'malformed note');
const malformedKey = (): NoteError => new NoteError('malformed-key', 'malformed verifier id');

/** SHA-256(name || 0x0A || key)[:4] as a big-endian uint32; `key` starts with its signature type byte. */
export function noteKeyId(name: string, typedKey: Uint8Array): number {
  return bytesToUint32(sha256(concatBytes(utf8(name), new Uint8Array([0x0a]), typedKey)));
}

/** The key ID of an Ed25519 note key: `noteKeyId(name, 0x01 || publicKey)`. */
export const ed25519KeyId = (name: string, publicKey: Uint8Array): number =>
  noteKeyId(name, concatBytes(new Uint8Array([ED25519_SIGNATURE_TYPE]), publicKey));

/** `<name>+<hex key ID>+<base64(type || public key)>`. */
export function verifierKeyString(name: string, typedKey: Uint8Array): string {
  return `${name}+${keyIdHex(noteKeyId(name, typedKey))}+${toBase64(typedKey)}`;
}

/** Go's NewEd25519VerifierKey. */
export function ed25519VerifierKey(name: string, publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new NoteError('malformed-key', `invalid public key size ${publicKey.length}, expected 32`);
  return verifierKeyString(name, concatBytes(new Uint8Array([ED25519_SIGNATURE_TYPE]), publicKey));
}

/** Strict RFC 8032 verification (not ZIP-215), as Go's crypto/ed25519; a bad key or signature is false, never a throw. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Splits `<name>+<hex key ID>+<base64>`, with Go's checks; the key bytes still start with their type. */
export function splitVerifierKey(vkey: string): { name: string; keyId: number; typedKey: Uint8Array } {
  const [name, rest] = cut(vkey, '+');
  const [hash16, key64] = cut(rest, '+');
  const typedKey = fromBase64(key64);
  if (!/^[0-9a-fA-F]{8}$/.test(hash16) || typedKey === null || !isValidKeyName(name) || typedKey.length === 0) throw malformedKey();
  return { name, keyId: parseInt(hash16, 16) >>> 0, typedKey };
}

/** Go's NewVerifier: an Ed25519 verifier from a verifier key string. Throws NoteError. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const { name, keyId, typedKey } = splitVerifierKey(vkey);
  if (keyId !== noteKeyId(name, typedKey)) throw new NoteError('invalid-key-id', 'invalid verifier hash');
  if (typedKey[0] !== ED25519_SIGNATURE_TYPE) throw new NoteError('unknown-key-algorithm', 'unknown verifier algorithm');
  const publicKey = typedKey.slice(1);
  if (publicKey.length !== 32) throw malformedKey();
  return { name, keyId, verify: (message, signature) => verifyEd25519(publicKey, message, signature) };
}

/** An Ed25519 note signer from a 32-byte seed (RFC 8032 private key). */
export function ed25519NoteSigner(name: string, seed: Uint8Array): NoteSigner & { publicKey: Uint8Array } {
  if (seed.length !== 32) throw malformedKey();
  const publicKey = ed25519.getPublicKey(seed);
  return { name, keyId: ed25519KeyId(name, publicKey), publicKey, sign: (message) => ed25519.sign(message, seed) };
}

/** Go's NewSigner: `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`. Throws NoteError. */
export function parseSignerKey(skey: string): NoteSigner {
  const [priv1, afterPriv1] = cut(skey, '+');
  const [priv2, afterPriv2] = cut(afterPriv1, '+');
  const [name, afterName] = cut(afterPriv2, '+');
  const [hash16, key64] = cut(afterName, '+');
  const key = fromBase64(key64);
  if (
    priv1 !== 'PRIVATE' ||
    priv2 !== 'KEY' ||
    !/^[0-9a-fA-F]{8}$/.test(hash16) ||
    key === null ||
    !isValidKeyName(name) ||
    key.length === 0
  ) {
    throw malformedKey();
  }
  if (key[0] !== ED25519_SIGNATURE_TYPE) throw new NoteError('unknown-key-algorithm', 'unknown verifier algorithm');
  if (key.length !== 33) throw malformedKey();
  const signer = ed25519NoteSigner(name, key.slice(1));
  if (signer.keyId !== parseInt(hash16, 16) >>> 0) throw new NoteError('invalid-key-id', 'invalid verifier hash');
  return { name: signer.name, keyId: signer.keyId, sign: signer.sign };
}

/** Go's GenerateKey, with the 32 random bytes given: the signer and verifier key strings. */
export function ed25519KeyPair(name: string, seed: Uint8Array): { skey: string; vkey: string } {
  const { publicKey, keyId } = ed25519NoteSigner(name, seed);
  const typedSeed = concatBytes(new Uint8Array([ED25519_SIGNATURE_TYPE]), seed);
  return { skey: `PRIVATE+KEY+${name}+${keyIdHex(keyId)}+${toBase64(typedSeed)}`, vkey: ed25519VerifierKey(name, publicKey) };
}

export type VerifierLookup = { found: NoteVerifier } | { unknown: true } | { ambiguous: true };

/** Finds the verifier of a signature line by key name and ID (Go's Verifiers). */
export interface NoteVerifiers {
  readonly verifier: (name: string, keyId: number) => VerifierLookup;
}

/** Go's VerifierList: two keys of one name and ID make that pair ambiguous, never a guess. */
export function verifierList(...list: NoteVerifier[]): NoteVerifiers {
  return {
    verifier: (name, keyId) => {
      const matches = list.filter((v) => v.name === name && v.keyId === keyId);
      if (matches.length === 0) return { unknown: true };
      return matches.length > 1 ? { ambiguous: true } : { found: matches[0] };
    },
  };
}

const SIGNATURE_PREFIX = '\u2014 ';

/** The text of a note as Go's Open checks it: valid UTF-8, no control character but newline. */
function noteTextOf(message: Uint8Array | string): string {
  const text = typeof message === 'string' ? (decodeUtf8(utf8(message)) === message ? message : null) : decodeUtf8(message);
  if (text === null || hasControlCharacter(text, { newlineAllowed: true })) throw malformedNote();
  return text;
}

/**
 * Go's Open: parses `message` and checks each signature whose key name and ID a known verifier
 * has; signatures by unknown keys are kept unverified. Throws NoteError: `malformed-note`,
 * `invalid-signature` (a known key's signature fails), `ambiguous-key`, `mismatched-verifier`,
 * or `unverified-note` (no known key signed; the parsed note is on the error).
 */
export function openNote(message: Uint8Array | string, known: NoteVerifiers = verifierList()): Note {
  const whole = noteTextOf(message);
  const split = whole.lastIndexOf('\n\n');
  if (split < 0) throw malformedNote();
  const text = whole.slice(0, split + 1);
  let sigs = whole.slice(split + 2);
  if (sigs.length === 0 || !sigs.endsWith('\n')) throw malformedNote();

  const note: Note = { text, sigs: [], unverifiedSigs: [] };
  const textBytes = utf8(text);
  const seen = new Set<string>();
  const seenUnverified = new Set<string>();
  let count = 0;
  while (sigs.length > 0) {
    const i = sigs.indexOf('\n');
    let line = sigs.slice(0, i);
    sigs = sigs.slice(i + 1);
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformedNote();
    line = line.slice(SIGNATURE_PREFIX.length);
    const [name, b64] = cut(line, ' ');
    const raw = fromBase64(b64);
    if (raw === null || !isValidKeyName(name) || b64 === '' || raw.length < 5) throw malformedNote();
    const keyId = bytesToUint32(raw);
    if (++count > MAX_NOTE_SIGNATURES) throw malformedNote();

    const lookup = known.verifier(name, keyId);
    if ('unknown' in lookup) {
      if (!seenUnverified.has(line)) note.unverifiedSigs.push({ name, keyId, base64: b64 });
      seenUnverified.add(line);
      continue;
    }
    if ('ambiguous' in lookup) throw new NoteError('ambiguous-key', `ambiguous key ${name}+${keyIdHex(keyId)}`);
    const verifier = lookup.found;
    if (verifier.name !== name || verifier.keyId !== keyId) {
      throw new NoteError('mismatched-verifier', "verifier name or hash doesn't match signature");
    }
    const id = `${name}+${keyIdHex(keyId)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (!verifier.verify(textBytes, raw.slice(4))) throw new NoteError('invalid-signature', `invalid signature for key ${id}`);
    note.sigs.push({ name, keyId, base64: b64 });
  }
  if (note.sigs.length === 0) throw new NoteError('unverified-note', 'note has no verifiable signatures', note);
  return note;
}

/**
 * Go's Sign: the note text, a blank line, the signatures already on the note (less those of the
 * signers' keys, which are replaced), then one line per signer. Throws NoteError.
 */
export function signNote(
  note: { text: string; sigs?: NoteSignature[]; unverifiedSigs?: NoteSignature[] },
  ...signers: NoteSigner[]
): string {
  if (!note.text.endsWith('\n')) throw malformedNote();
  const textBytes = utf8(note.text);
  const replaced = new Set<string>();
  let added = '';
  for (const signer of signers) {
    replaced.add(`${signer.name}+${keyIdHex(signer.keyId)}`);
    if (!isValidKeyName(signer.name)) throw new NoteError('invalid-signer', 'invalid signer');
    const signature = signer.sign(textBytes);
    added += `${SIGNATURE_PREFIX}${signer.name} ${toBase64(concatBytes(uint32ToBytes(signer.keyId), signature))}\n`;
  }
  let kept = '';
  for (const sig of [...(note.sigs ?? []), ...(note.unverifiedSigs ?? [])]) {
    if (!isValidKeyName(sig.name)) throw malformedNote();
    if (replaced.has(`${sig.name}+${keyIdHex(sig.keyId)}`)) continue;
    const raw = fromBase64(sig.base64);
    if (raw === null || raw.length < 4 || bytesToUint32(raw) !== sig.keyId >>> 0) throw malformedNote();
    kept += `${SIGNATURE_PREFIX}${sig.name} ${sig.base64}\n`;
  }
  return `${note.text}\n${kept}${added}`;
}
