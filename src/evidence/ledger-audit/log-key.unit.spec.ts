import { LogSigningKey } from '../tree-heads/signing-key';
import { verifyTreeHeadSignature } from '../verify/tree-head.verify';
import { nodeEd25519Verify, parsePublicKey } from './log-key';

describe('the keys the ledger audit checks heads against', () => {
  const key = LogSigningKey.generate();
  const head = key.sign({ treeSize: 7, rootHash: 'a'.repeat(64), timestamp: '2024-04-20T06:00:00.000Z' });

  it('reads a public key saved as the JSON of /evidence/public-key, as an SPKI PEM, or as base64 of the raw bytes', () => {
    const raw = Array.from(key.publicKeyRaw);
    expect(Array.from(parsePublicKey(JSON.stringify({ logId: key.logId, publicKey: key.publicKeyBase64 })))).toEqual(raw);
    expect(Array.from(parsePublicKey(key.publicKeyPem))).toEqual(raw);
    expect(Array.from(parsePublicKey(`${key.publicKeyBase64}\n`))).toEqual(raw);
    expect(() => parsePublicKey('hello')).toThrow(/32 raw bytes/);
    expect(() => parsePublicKey('{"key":"x"}')).toThrow(/"publicKey"/);
  });

  it('verifies with node:crypto exactly as the portable verifier does, reasons included', () => {
    const fast = nodeEd25519Verify();
    const other = LogSigningKey.generate();
    const cases = [
      head,
      { ...head, rootHash: 'b'.repeat(64) },
      { ...head, treeSize: 8 },
      { ...head, signature: other.sign(head).signature },
      { ...head, signature: 'not base64!' },
    ];
    for (const h of cases) {
      expect(verifyTreeHeadSignature(h, key.publicKeyRaw, fast)).toEqual(verifyTreeHeadSignature(h, key.publicKeyRaw));
    }
    expect(verifyTreeHeadSignature(head, key.publicKeyRaw, fast)).toEqual({ ok: true });
    expect(verifyTreeHeadSignature(cases[1], key.publicKeyRaw, fast).ok).toBe(false);
  });
});
