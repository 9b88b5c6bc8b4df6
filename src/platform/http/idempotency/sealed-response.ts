import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { IdempotencyKeys } from './idempotency-secret';
import type { IdempotencyScope, RecordedResponse } from './idempotency-store';

/**
 * A recorded response as the idempotency file keeps it: its headers and body encrypted with
 * AES-256-GCM, so that whatever a response echoes (a name, a phone number, a problem naming a bad
 * value) is never on disk in clear. Any POST route may answer with personal data, today or after
 * a later change, so every response is sealed alike rather than judged route by route.
 *
 * Layout: version byte (1) ‖ 12-byte IV ‖ ciphertext ‖ 16-byte tag. The plaintext is the headers'
 * JSON length (4 bytes, big-endian) ‖ headers JSON ‖ body. The record's scope and status are the
 * additional data, so a sealed response cannot be moved to another record or replayed with
 * another status.
 */
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealedResponseError extends Error {
  override readonly name = 'SealedResponseError';
}

function additionalData(scope: IdempotencyScope, status: number): Buffer {
  return Buffer.from(JSON.stringify([FORMAT_VERSION, scope.subject, scope.method, scope.path, scope.key, status]), 'utf8');
}

export function sealResponse(keys: IdempotencyKeys, scope: IdempotencyScope, response: RecordedResponse): Buffer {
  const headers = Buffer.from(JSON.stringify(response.headers), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headers.length);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.response, iv);
  cipher.setAAD(additionalData(scope, response.status));
  const ciphertext = Buffer.concat([cipher.update(length), cipher.update(headers), cipher.update(response.body), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, ciphertext, cipher.getAuthTag()]);
}

/** Throws SealedResponseError when the bytes were not sealed for this record with this secret. */
export function openResponse(keys: IdempotencyKeys, scope: IdempotencyScope, status: number, sealed: Buffer): RecordedResponse {
  if (sealed.length < 1 + IV_BYTES + 4 + TAG_BYTES || sealed[0] !== FORMAT_VERSION) {
    throw new SealedResponseError('a recorded response is not in a known sealed format');
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', keys.response, iv);
  decipher.setAAD(additionalData(scope, status));
  decipher.setAuthTag(tag);
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealedResponseError('a recorded response cannot be opened: it was sealed with another idempotency secret, or altered');
  }
  const headersLength = plain.readUInt32BE(0);
  const headers = JSON.parse(plain.subarray(4, 4 + headersLength).toString('utf8')) as Record<string, string>;
  return { status, headers, body: Buffer.from(plain.subarray(4 + headersLength)) };
}
