import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';

/**
 * An envelope holds one sealed field's value and salt, encrypted with the data subject's key
 * (AES-256-GCM, 96-bit random nonce, 128-bit tag). Envelopes are NOT part of the hashed event:
 * a store keeps them beside the event, so destroying the key leaves the chain and the Merkle log
 * untouched while the value becomes unreadable.
 *
 * Plaintext: salt (32 bytes) ‖ UTF-8 of the value's canonical JSON.
 * Additional data: UTF-8 of the canonical JSON of
 *   { "commitment", "eventId", "fieldPath", "format": "seizure-ledger-pd-envelope/1", "keyId" }
 * taken from where the envelope is opened (the event's id, the commitment found at the path), so
 * an envelope moved to another event, field or commitment fails authentication.
 */
export const ENVELOPE_FORMAT = 'seizure-ledger-pd-envelope/1';
export const ENVELOPE_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** A sealed field is a few hundred bytes; this bounds what a parser accepts. */
const MAX_CIPHERTEXT_BASE64 = 1024 * 1024;

/** One envelope as stored: binary parts in standard base64. */
export interface Envelope {
  readonly v: typeof ENVELOPE_VERSION;
  readonly eventId: string;
  readonly fieldPath: string;
  readonly keyId: string;
  readonly nonce: string;
  readonly ciphertext: string;
  readonly tag: string;
}

export class EnvelopeFormatError extends Error {
  override readonly name = 'EnvelopeFormatError';
}

export function envelopeAad(context: { eventId: string; fieldPath: string; keyId: string; commitment: string }): Buffer {
  const { eventId, fieldPath, keyId, commitment } = context;
  return Buffer.from(canonicalJson({ commitment, eventId, fieldPath, format: ENVELOPE_FORMAT, keyId }), 'utf8');
}

export interface SealingContext {
  readonly eventId: string;
  readonly fieldPath: string;
  readonly commitment: string;
  readonly keyId: string;
  readonly key: KeyObject;
}

export function encryptEnvelope(context: SealingContext, plaintext: Uint8Array): Envelope {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', context.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(envelopeAad(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    v: ENVELOPE_VERSION,
    eventId: context.eventId,
    fieldPath: context.fieldPath,
    keyId: context.keyId,
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** The plaintext, or undefined when authentication fails (wrong key, tampered bytes, or a context the envelope was not sealed for). */
export function decryptEnvelope(envelope: Envelope, context: SealingContext): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', context.key, Buffer.from(envelope.nonce, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAAD(envelopeAad(context));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Serialisation: a JSON array of envelopes, as a store keeps them beside one event.

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function base64Of(record: Record<string, unknown>, name: string, bytes?: number): string {
  const text = record[name];
  if (typeof text !== 'string' || !BASE64.test(text) || text.length > MAX_CIPHERTEXT_BASE64) {
    throw new EnvelopeFormatError(`envelope ${name} must be standard base64`);
  }
  if (bytes !== undefined && Buffer.from(text, 'base64').length !== bytes)
    throw new EnvelopeFormatError(`envelope ${name} must be ${bytes} bytes`);
  return text;
}

function stringOf(record: Record<string, unknown>, name: string): string {
  const text = record[name];
  if (typeof text !== 'string' || text.length === 0 || text.length > 512)
    throw new EnvelopeFormatError(`envelope ${name} must be a non-empty string`);
  return text;
}

const FIELDS = ['v', 'eventId', 'fieldPath', 'keyId', 'nonce', 'ciphertext', 'tag'];

/** Checks one parsed envelope's shape; throws EnvelopeFormatError naming what is wrong. */
export function toEnvelope(value: unknown): Envelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EnvelopeFormatError('an envelope must be an object');
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).filter((key) => !FIELDS.includes(key));
  if (extra.length > 0) throw new EnvelopeFormatError(`unknown envelope field ${JSON.stringify(extra[0])}`);
  if (record.v !== ENVELOPE_VERSION) throw new EnvelopeFormatError(`envelope version must be ${ENVELOPE_VERSION}`);
  return {
    v: ENVELOPE_VERSION,
    eventId: stringOf(record, 'eventId'),
    fieldPath: stringOf(record, 'fieldPath'),
    keyId: stringOf(record, 'keyId'),
    nonce: base64Of(record, 'nonce', NONCE_BYTES),
    ciphertext: base64Of(record, 'ciphertext'),
    tag: base64Of(record, 'tag', TAG_BYTES),
  };
}

export function serializeEnvelopes(envelopes: readonly Envelope[]): string {
  return JSON.stringify(
    envelopes.map(({ v, eventId, fieldPath, keyId, nonce, ciphertext, tag }) => ({ v, eventId, fieldPath, keyId, nonce, ciphertext, tag })),
  );
}

/** The envelopes stored beside an event: none when it has none, or when they do not parse (its fields then stay sealed). */
export function envelopesBeside(text: string | undefined): Envelope[] {
  if (text === undefined) return [];
  try {
    return parseEnvelopes(text);
  } catch (error) {
    if (error instanceof EnvelopeFormatError) return [];
    throw error;
  }
}

export function parseEnvelopes(text: string): Envelope[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EnvelopeFormatError('envelopes must be a JSON array');
  }
  if (!Array.isArray(parsed)) throw new EnvelopeFormatError('envelopes must be a JSON array');
  return parsed.map(toEnvelope);
}
