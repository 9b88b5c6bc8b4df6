import { createHmac } from 'node:crypto';
import { idempotencyKeysFrom, keyedFingerprint } from './idempotency-secret';
import type { IdempotencyScope, RecordedResponse } from './idempotency-store';
import { openResponse, sealResponse, SealedResponseError } from './sealed-response';

const KEYS = idempotencyKeysFrom(Buffer.alloc(32, 7));
const OTHER_KEYS = idempotencyKeysFrom(Buffer.alloc(32, 8));
const SCOPE: IdempotencyScope = { subject: 'u-17', method: 'POST', path: '/seizures', key: 'key-1' };
const RESPONSE: RecordedResponse = {
  status: 400,
  headers: { 'content-type': 'application/problem+json; charset=utf-8', location: '/seizures/s-1' },
  body: Buffer.from('{"detail":"seizedFrom.phone PDMARK-Ramesh-9876543210 is not a phone number"}'),
};

describe('sealed responses', () => {
  it('opens to the same status, headers and bytes', () => {
    const sealed = sealResponse(KEYS, SCOPE, RESPONSE);

    expect(openResponse(KEYS, SCOPE, RESPONSE.status, sealed)).toEqual(RESPONSE);
  });

  it('keeps an empty body and arbitrary bytes', () => {
    const empty: RecordedResponse = { status: 204, headers: {}, body: Buffer.alloc(0) };
    const binary: RecordedResponse = { status: 200, headers: { 'content-type': 'application/pdf' }, body: Buffer.from([0, 255, 1, 254]) };

    expect(openResponse(KEYS, SCOPE, 204, sealResponse(KEYS, SCOPE, empty))).toEqual(empty);
    expect(openResponse(KEYS, SCOPE, 200, sealResponse(KEYS, SCOPE, binary))).toEqual(binary);
  });

  it('holds neither the body nor the headers in clear, and differs each time (random IV)', () => {
    const sealed = sealResponse(KEYS, SCOPE, RESPONSE);

    expect(sealed.includes(Buffer.from('PDMARK'))).toBe(false);
    expect(sealed.includes(Buffer.from('/seizures/s-1'))).toBe(false);
    expect(sealResponse(KEYS, SCOPE, RESPONSE).equals(sealed)).toBe(false);
  });

  it.each([
    ['another secret', () => openResponse(OTHER_KEYS, SCOPE, 400, sealResponse(KEYS, SCOPE, RESPONSE))],
    ['another record', () => openResponse(KEYS, { ...SCOPE, key: 'key-2' }, 400, sealResponse(KEYS, SCOPE, RESPONSE))],
    ['another user', () => openResponse(KEYS, { ...SCOPE, subject: 'u-18' }, 400, sealResponse(KEYS, SCOPE, RESPONSE))],
    ['another status', () => openResponse(KEYS, SCOPE, 201, sealResponse(KEYS, SCOPE, RESPONSE))],
    [
      'an altered byte',
      () => {
        const sealed = sealResponse(KEYS, SCOPE, RESPONSE);
        sealed[20] ^= 1;
        return openResponse(KEYS, SCOPE, 400, sealed);
      },
    ],
    ['an unknown format', () => openResponse(KEYS, SCOPE, 400, Buffer.from('{"clear":"json"}'))],
  ])('refuses to open under %s', (_case, open) => {
    expect(open).toThrow(SealedResponseError);
  });
});

describe('keyedFingerprint', () => {
  const digest = 'c'.repeat(64);

  it('is the HMAC-SHA-256 of the digest under a key derived from the secret, not the digest itself', () => {
    const fingerprint = keyedFingerprint(KEYS, digest);

    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint).not.toBe(digest);
    expect(fingerprint).toBe(createHmac('sha256', KEYS.fingerprint).update(digest).digest('hex'));
    // The derived key is neither the secret itself nor the response key.
    expect(fingerprint).not.toBe(createHmac('sha256', Buffer.alloc(32, 7)).update(digest).digest('hex'));
    expect(KEYS.fingerprint.equals(KEYS.response)).toBe(false);
  });

  it('is the same for the same digest and secret, and differs with either', () => {
    expect(keyedFingerprint(idempotencyKeysFrom(Buffer.alloc(32, 7)), digest)).toBe(keyedFingerprint(KEYS, digest));
    expect(keyedFingerprint(OTHER_KEYS, digest)).not.toBe(keyedFingerprint(KEYS, digest));
    expect(keyedFingerprint(KEYS, 'd'.repeat(64))).not.toBe(keyedFingerprint(KEYS, digest));
  });
});
