import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogSigningKey } from '../tree-heads/signing-key';
import { treeHeadSigningInput, type SignedTreeHead } from '../tree-heads/tree-head';
import { logIdOf, verifyTreeHeadSignature } from './tree-head.verify';

const ROOT = 'a'.repeat(64);

describe('tree head signatures', () => {
  const key = LogSigningKey.generate();
  const other = LogSigningKey.generate();
  const head: SignedTreeHead = key.sign({ treeSize: 42, rootHash: ROOT, timestamp: '2024-04-20T06:00:00.000Z' });

  it('signs the canonical JSON of its fields, keys sorted, naming the key that signed it', () => {
    const text = new TextDecoder().decode(treeHeadSigningInput(head));
    expect(text).toBe(
      `{"keyId":"${key.keyId}","logId":"${key.logId}","rootHash":"${ROOT}","timestamp":"2024-04-20T06:00:00.000Z","treeSize":42}`,
    );
    expect(JSON.parse(text)).toEqual({ keyId: key.keyId, logId: key.logId, rootHash: ROOT, timestamp: head.timestamp, treeSize: 42 });
  });

  it('a head from before rotation (no keyId) signs the four fields as it always did, and still verifies', () => {
    const unsigned = { logId: key.logId, treeSize: 42, rootHash: ROOT, timestamp: head.timestamp };
    const text = new TextDecoder().decode(treeHeadSigningInput(unsigned));
    expect(text).toBe(`{"logId":"${key.logId}","rootHash":"${ROOT}","timestamp":"2024-04-20T06:00:00.000Z","treeSize":42}`);
    const signature = sign(null, treeHeadSigningInput(unsigned), createPrivateKey(key.privateKeyPem())).toString('base64');
    expect(verifyTreeHeadSignature({ ...unsigned, signature }, key.publicKeyRaw)).toEqual({ ok: true });
    expect(verifyTreeHeadSignature({ ...unsigned, signature }, other.publicKeyRaw).ok).toBe(false);
  });

  it('covers keyId and nextKey by the signature: neither can be added, removed or changed', () => {
    const { keyId: _dropped, ...stripped } = head;
    expect(verifyTreeHeadSignature(stripped, key.publicKeyRaw).ok).toBe(false);
    const announcing = key.sign({ ...head, nextKey: { publicKey: other.publicKeyBase64, validFrom: '2024-04-20T06:00:00.001Z' } });
    expect(verifyTreeHeadSignature(announcing, key.publicKeyRaw)).toEqual({ ok: true });
    const swapped = {
      ...announcing,
      nextKey: { publicKey: LogSigningKey.generate().publicKeyBase64, validFrom: '2024-04-20T06:00:00.001Z' },
    };
    expect(verifyTreeHeadSignature(swapped, key.publicKeyRaw)).toEqual({
      ok: false,
      reason: expect.stringContaining('signature does not match'),
    });
    expect(verifyTreeHeadSignature({ ...announcing, nextKey: { publicKey: 'x', validFrom: 'soon' } }, key.publicKeyRaw).ok).toBe(false);
  });

  it('a rotated key signs for the log id of the first key, naming itself', () => {
    const second = LogSigningKey.generate().forLog(key.logId);
    const rotated = second.sign({ treeSize: 43, rootHash: ROOT, timestamp: '2024-04-21T06:00:00.000Z' });
    expect(rotated).toMatchObject({ logId: key.logId, keyId: second.keyId });
    expect(verifyTreeHeadSignature(rotated, second.publicKeyRaw)).toEqual({ ok: true });
    expect(verifyTreeHeadSignature(rotated, key.publicKeyRaw)).toEqual({
      ok: false,
      reason: expect.stringContaining(`signed by key ${second.keyId}, not by this key ${key.keyId}`),
    });
  });

  it('names the log by the SHA-256 of the raw public key', () => {
    expect(key.publicKeyRaw).toHaveLength(32);
    expect(key.logId).toMatch(/^[0-9a-f]{64}$/);
    expect(logIdOf(key.publicKeyRaw)).toBe(key.logId);
    expect(Buffer.from(key.publicKeyBase64, 'base64')).toEqual(Buffer.from(key.publicKeyRaw));
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('accepts a head signed by the key', () => {
    expect(verifyTreeHeadSignature(head, key.publicKeyRaw)).toEqual({ ok: true });
  });

  it('refuses it under another key, naming the other key', () => {
    const result = verifyTreeHeadSignature(head, other.publicKeyRaw);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(`not by this key ${other.keyId}`) });
  });

  it('refuses a head of another log re-labelled with this log id and key id', () => {
    const foreign = other.sign({ treeSize: 42, rootHash: ROOT, timestamp: head.timestamp });
    const relabelled = { ...foreign, logId: key.logId, keyId: key.keyId };
    expect(verifyTreeHeadSignature(relabelled, key.publicKeyRaw)).toEqual({
      ok: false,
      reason: expect.stringContaining('signature does not match'),
    });
  });

  it.each([
    ['treeSize', { treeSize: 43 }],
    ['rootHash', { rootHash: 'b'.repeat(64) }],
    ['timestamp', { timestamp: '2024-04-20T06:00:00.001Z' }],
  ])('refuses a head whose %s was altered', (_field, change) => {
    expect(verifyTreeHeadSignature({ ...head, ...change }, key.publicKeyRaw)).toEqual({
      ok: false,
      reason: expect.stringContaining('signature does not match'),
    });
  });

  it('refuses an altered signature and malformed fields with a reason', () => {
    const sig = Buffer.from(head.signature, 'base64');
    sig[0] ^= 1;
    expect(verifyTreeHeadSignature({ ...head, signature: sig.toString('base64') }, key.publicKeyRaw).ok).toBe(false);
    expect(verifyTreeHeadSignature({ ...head, signature: 'not base64!' }, key.publicKeyRaw)).toEqual({
      ok: false,
      reason: 'the signature is not 64 bytes of base64',
    });
    expect(verifyTreeHeadSignature({ ...head, treeSize: -1 }, key.publicKeyRaw).ok).toBe(false);
    expect(verifyTreeHeadSignature({ ...head, rootHash: 'A'.repeat(64) }, key.publicKeyRaw).ok).toBe(false);
    expect(verifyTreeHeadSignature({ ...head, timestamp: 'yesterday' }, key.publicKeyRaw).ok).toBe(false);
    expect(verifyTreeHeadSignature(head, key.publicKeyRaw.slice(0, 31))).toEqual({
      ok: false,
      reason: 'the public key is not 32 raw Ed25519 bytes',
    });
  });

  it('uses neither node:crypto nor Buffer, so it runs in a browser', () => {
    const source = readFileSync(join(__dirname, 'tree-head.verify.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    expect(source).not.toMatch(/node:crypto|from 'crypto'|Buffer/);
  });
});
