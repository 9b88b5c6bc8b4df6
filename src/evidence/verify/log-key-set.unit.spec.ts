import { LogSigningKey } from '../tree-heads/signing-key';
import { keySetOf, parseLogKeySet, validAt, verifyHeadUnderKeySet, type LogKeySet } from './log-key-set';

const ROOT = 'a'.repeat(64);

describe('a log key set (trust file logKeys, or keys given one by one)', () => {
  const first = LogSigningKey.generate();
  const second = LogSigningKey.generate().forLog(first.logId);
  const ROTATED_AT = '2024-04-20T06:00:00.001Z';
  const trust = {
    logId: first.logId,
    logKeys: [
      { publicKey: first.publicKeyBase64, validFrom: '2024-04-01T00:00:00.000Z', validUntil: ROTATED_AT },
      { publicKey: second.publicKeyBase64, validFrom: ROTATED_AT, validUntil: null },
    ],
  };
  const parsed = (json: unknown): LogKeySet => {
    const reading = parseLogKeySet(json);
    if (!reading.ok) throw new Error(reading.reason);
    return reading.set;
  };

  it('reads the keys with their periods, oldest first, each named by its SHA-256', () => {
    const set = parsed({ ...trust, logKeys: [...trust.logKeys].reverse() });
    expect(set.logId).toBe(first.logId);
    expect(set.keys.map((k) => [k.keyId, k.validFrom, k.validUntil])).toEqual([
      [first.keyId, '2024-04-01T00:00:00.000Z', ROTATED_AT],
      [second.keyId, ROTATED_AT, null],
    ]);
  });

  it.each([
    [{}, 'logKeys: a non-empty list'],
    [{ logKeys: [] }, 'logKeys: a non-empty list'],
    [{ logKeys: [{ publicKey: 'AAAA', validFrom: ROTATED_AT }] }, 'logKeys[0].publicKey: not the base64 of a raw 32-byte'],
    [{ logKeys: [{ publicKey: first.publicKeyBase64, validFrom: 'yesterday' }] }, 'logKeys[0].validFrom: not an ISO-8601 UTC'],
    [
      { logKeys: [{ publicKey: first.publicKeyBase64, validFrom: ROTATED_AT, validUntil: '2024-04-01T00:00:00.000Z' }] },
      'not after its validFrom',
    ],
    [{ logKeys: [{ publicKey: first.publicKeyBase64, keyId: second.keyId, validFrom: ROTATED_AT }] }, 'logKeys[0].keyId'],
    [{ logKeys: [trust.logKeys[0], trust.logKeys[0]] }, 'the same key is listed twice'],
    [{ logKeys: [{ ...trust.logKeys[0], validUntil: null }, trust.logKeys[1]] }, 'is still valid when key'],
    [{ logId: 'nope', logKeys: trust.logKeys }, 'logId: not 64'],
  ])('refuses a malformed trust file, naming the field (%#)', (json, reason) => {
    expect(parseLogKeySet(json)).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('counts a key valid from validFrom (inclusive) to validUntil (exclusive)', () => {
    const [old, current] = parsed(trust).keys;
    expect(validAt(old, '2024-04-20T06:00:00.000Z')).toBe(true);
    expect(validAt(old, ROTATED_AT)).toBe(false);
    expect(validAt(current, ROTATED_AT)).toBe(true);
    expect(validAt(current, '2024-03-31T23:59:59.999Z')).toBe(false);
    expect(validAt(old, '2024-03-31T23:59:59.999Z')).toBe(false);
  });

  it('verifies each head under the key it names, valid at its time; a head from before rotation under the first key', () => {
    const set = parsed(trust);
    const before = first.sign({ treeSize: 1, rootHash: ROOT, timestamp: '2024-04-10T00:00:00.000Z' });
    const { keyId: _none, ...legacy } = before;
    const after = second.sign({ treeSize: 2, rootHash: ROOT, timestamp: '2024-04-21T00:00:00.000Z' });
    expect(verifyHeadUnderKeySet(before, set)).toMatchObject({ ok: true, key: { keyId: first.keyId } });
    expect(verifyHeadUnderKeySet(after, set)).toMatchObject({ ok: true, key: { keyId: second.keyId } });
    // Without keyId the head signs other bytes: re-signed the way heads were before rotation existed.
    expect(verifyHeadUnderKeySet({ ...legacy, signature: before.signature }, set)).toMatchObject({ ok: false, problem: 'bad-signature' });
  });

  it('refuses a head claiming a key outside its validity period: the retired key signing after the rotation', () => {
    const backdated = second.sign({ treeSize: 1, rootHash: ROOT, timestamp: '2024-04-10T00:00:00.000Z' });
    const late = first.sign({ treeSize: 3, rootHash: ROOT, timestamp: '2024-04-22T00:00:00.000Z' });
    expect(verifyHeadUnderKeySet(backdated, parsed(trust))).toMatchObject({ ok: false, problem: 'outside-validity' });
    expect(verifyHeadUnderKeySet(late, parsed(trust))).toEqual({
      ok: false,
      problem: 'outside-validity',
      reason: expect.stringContaining(`valid only from 2024-04-01T00:00:00.000Z until ${ROTATED_AT}`),
    });
  });

  it('refuses a head signed by a key not in the set, or naming another log', () => {
    const stranger = LogSigningKey.generate().forLog(first.logId);
    const head = stranger.sign({ treeSize: 1, rootHash: ROOT, timestamp: '2024-04-21T00:00:00.000Z' });
    expect(verifyHeadUnderKeySet(head, parsed(trust))).toMatchObject({ ok: false, problem: 'unknown-key' });
    const otherLog = second.forLog('b'.repeat(64)).sign({ treeSize: 1, rootHash: ROOT, timestamp: '2024-04-21T00:00:00.000Z' });
    expect(verifyHeadUnderKeySet(otherLog, parsed(trust))).toMatchObject({ ok: false, problem: 'other-log' });
  });

  it('keys given one by one have no period: any of them verifies a head it signed, at any time', () => {
    const set = keySetOf([first.publicKeyRaw, second.publicKeyRaw]);
    expect(set.logId).toBeNull();
    expect(verifyHeadUnderKeySet(first.sign({ treeSize: 1, rootHash: ROOT, timestamp: '2030-01-01T00:00:00.000Z' }), set).ok).toBe(true);
    expect(verifyHeadUnderKeySet(second.sign({ treeSize: 1, rootHash: ROOT, timestamp: '2020-01-01T00:00:00.000Z' }), set).ok).toBe(true);
  });
});
