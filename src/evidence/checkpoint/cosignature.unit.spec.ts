import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import {
  cosignatureKeyId,
  cosignatureSigner,
  cosignatureTimestamp,
  cosignatureVerifierKey,
  cosignedMessage,
  parseCosignatureVerifierKey,
  verifyCosignature,
} from './cosignature';
import { utf8 } from './note-bytes';
import { NoteError, ed25519KeyPair, openNote, parseVerifierKey, signNote, verifierList } from './signed-note';

const EXAMPLE_CHECKPOINT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

/*
 * Our own known answer, derived from the spec (https://c2sp.org/tlog-cosignature) with a fixed key:
 *   seed       = SHA-256("seizure-custody-ledger test witness"), the 32-byte Ed25519 private key
 *   name       = "witness.example/w1", timestamp = 1679315147 (the spec's example time)
 *   key ID     = SHA-256(name || 0x0A || 0x04 || public key)[:4]
 *   message    = "cosignature/v1\ntime 1679315147\n" || the spec's example checkpoint text
 *   line       = "— " name " " base64(key ID || uint64be(timestamp) || Ed25519(seed, message)) "\n"
 * The test derives the same bytes again with node:crypto, an Ed25519 independent of @noble/curves.
 */
const WITNESS = {
  name: 'witness.example/w1',
  seed: createHash('sha256').update('seizure-custody-ledger test witness').digest(),
  timestamp: 1679315147,
  vkey: 'witness.example/w1+c36ea499+BDUGCG5A8Y8CMKCjpFiniG6K4+B0XVcXnt3riU+PY9Hj',
  line: '\u2014 witness.example/w1 w26kmQAAAABkGFDLS+yhC87mncQP2+DEglPwd9axCjcCbblKDyrs+zqFPrXVrEjZ+ODxarkrCA11LT58rK22hqg71TcKwvvHbSuqBA==\n',
};

describe('cosignature/v1 (a fixed witness key, derived from the spec)', () => {
  const witness = cosignatureSigner(WITNESS.name, new Uint8Array(WITNESS.seed), () => WITNESS.timestamp);

  it('signs the example checkpoint to the known line', () => {
    expect(cosignatureVerifierKey(WITNESS.name, witness.publicKey)).toBe(WITNESS.vkey);
    expect(signNote({ text: EXAMPLE_CHECKPOINT }, witness)).toBe(`${EXAMPLE_CHECKPOINT}\n${WITNESS.line}`);
  });

  it('gives the bytes node:crypto gives for the spec’s construction', () => {
    const privateKey = createPrivateKey({
      key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), WITNESS.seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const publicKey = Buffer.from(String(createPublicKey(privateKey).export({ format: 'jwk' }).x), 'base64url');
    const keyId = createHash('sha256')
      .update(Buffer.concat([Buffer.from(`${WITNESS.name}\n`), Buffer.from([0x04]), publicKey]))
      .digest()
      .subarray(0, 4);
    const message = Buffer.from(`cosignature/v1\ntime ${WITNESS.timestamp}\n${EXAMPLE_CHECKPOINT}`);
    const time = Buffer.alloc(8);
    time.writeBigUInt64BE(BigInt(WITNESS.timestamp));
    const signature = Buffer.concat([keyId, time, sign(null, message, privateKey)]);
    expect(WITNESS.line).toBe(`\u2014 ${WITNESS.name} ${signature.toString('base64')}\n`);
    expect(Buffer.from(cosignedMessage(WITNESS.timestamp, EXAMPLE_CHECKPOINT))).toEqual(message);
    expect(cosignatureKeyId(WITNESS.name, witness.publicKey)).toBe(keyId.readUInt32BE(0));
  });

  it('verifies with the witness key, ignores it as unknown under the plain Ed25519 key ID', () => {
    const cosigned = `${EXAMPLE_CHECKPOINT}\n${WITNESS.line}`;
    const verifier = parseCosignatureVerifierKey(WITNESS.vkey);
    expect(openNote(cosigned, verifierList(verifier)).sigs).toEqual([
      { name: WITNESS.name, keyId: 0xc36ea499, base64: expect.any(String) },
    ]);
    expect(cosignatureTimestamp(openNote(cosigned, verifierList(verifier)).sigs[0].base64)).toBe(WITNESS.timestamp);
    // The same public key as a plain 0x01 vkey: Go's NewVerifier would ignore the line (other key ID).
    const plain = parseVerifierKey(ed25519KeyPairFromPublic(WITNESS.name, witness.publicKey));
    expect(() => openNote(cosigned, verifierList(plain))).toThrow('note has no verifiable signatures');
    // A 0x01 vkey given to the cosignature reader verifies cosignatures under the 0x04 key ID.
    expect(
      openNote(cosigned, verifierList(parseCosignatureVerifierKey(ed25519KeyPairFromPublic(WITNESS.name, witness.publicKey)))).sigs,
    ).toHaveLength(1);
  });

  it('covers every line: a changed root, size, origin, extension line or timestamp fails', () => {
    const signatureOf = (text: string): Uint8Array => witness.sign(utf8(text));
    const withExtension = `${EXAMPLE_CHECKPOINT}Extendo\n`;
    const good = signatureOf(withExtension);
    expect(verifyCosignature(witness.publicKey, withExtension, good)).toBe(true);
    expect(verifyCosignature(witness.publicKey, withExtension.replace('Extendo', 'Extend@'), good)).toBe(false);
    expect(verifyCosignature(witness.publicKey, withExtension.replace('20852163', '20852164'), good)).toBe(false);
    expect(verifyCosignature(witness.publicKey, withExtension.replace('example.com', 'example.org'), good)).toBe(false);
    const later = good.slice();
    later[7] += 1;
    expect(verifyCosignature(witness.publicKey, withExtension, later)).toBe(false);
    expect(verifyCosignature(witness.publicKey, withExtension, good.slice(0, 71))).toBe(false);
    const farFuture = good.slice();
    farFuture[0] = 0x7f;
    expect(verifyCosignature(witness.publicKey, withExtension, farFuture)).toBe(false);
    expect(verifyCosignature(witness.publicKey, 'one line\n', good)).toBe(false);
  });

  it('refuses to build a message from a bad timestamp or a one-line text', () => {
    expect(() => cosignedMessage(-1, EXAMPLE_CHECKPOINT)).toThrow(TypeError);
    expect(() => cosignedMessage(1.5, EXAMPLE_CHECKPOINT)).toThrow(TypeError);
    expect(() => cosignedMessage(1, 'Note\n')).toThrow('cosigned note format invalid');
  });
});

const ed25519KeyPairFromPublic = (name: string, publicKey: Uint8Array): string =>
  `${name}+${createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([0x01]), publicKey]))
    .digest()
    .subarray(0, 4)
    .toString('hex')}+${Buffer.concat([Buffer.from([0x01]), publicKey]).toString('base64')}`;

/*
 * Vectors copied from transparency-dev/formats note/note_cosigv1_test.go
 * (https://github.com/transparency-dev/formats, commit 0b850f1a7b4a5b70deeacac6535e4b8023809d21),
 * Copyright The Transparency-Dev Authors (Google LLC), Apache License 2.0.
 */
describe('cosignature/v1 (transparency-dev/formats vectors)', () => {
  it('TestCoSigV1NewVerifier: a native 0x04 key and a plain 0x01 key are read', () => {
    expect(parseCosignatureVerifierKey('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2').keyId).toBe(0xda77ade7);
    const plain = parseCosignatureVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6');
    expect(plain.keyId).toBe(cosignatureKeyId('TEST', plain.publicKey));
    expect(plain.keyId).not.toBe(0x7997405c);
  });

  it.each([
    ['wrong number of parts', 'bananas.sigstore.dev+12344556', 'malformed verifier id'],
    ['invalid base64', 'rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!', 'malformed verifier id'],
    ['invalid algo', 'rekor.sigstore.dev+12345678+AwEB', 'unknown verifier algorithm'],
    ['invalid keyhash', 'rekor.sigstore.dev+NOT_A_NUMBER+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2', 'malformed verifier id'],
    // Go accepts a wrong key ID in a 0x04 key and recomputes it; we refuse it.
    ['incorrect keyhash', 'remora.n621.de+00000000+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2', 'invalid verifier hash'],
  ])('TestCoSigV1NewVerifier: %s is refused', (_desc, vkey, message) => {
    expect(() => parseCosignatureVerifierKey(vkey)).toThrow(message);
  });

  it('TestCoSigV1Timestamp: reads the time, refuses a plain signature and gibberish', () => {
    expect(
      cosignatureTimestamp('ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA=='),
    ).toBe(1727964367);
    expect(cosignatureTimestamp('eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=')).toBeNull();
    expect(cosignatureTimestamp('5%/$!\n 2')).toBeNull();
  });

  it('TestCosignatureV1RoundTrip: a generated key signs and verifies a note', () => {
    const seed = createHash('sha256').update('round trip').digest();
    const signer = cosignatureSigner('ed25519', new Uint8Array(seed), () => 1_700_000_000);
    const note = signNote({ text: 'test\n123\nf+7CoKgXKE/tNys9TTXcr/ad6U/K3xvznmzew9y6SP0=\n' }, signer);
    expect(
      openNote(note, verifierList(parseCosignatureVerifierKey(cosignatureVerifierKey('ed25519', signer.publicKey)))).sigs,
    ).toHaveLength(1);
    // And the key pair's plain vkey, as VKeyToCosignatureV1 allows.
    expect(openNote(note, verifierList(parseCosignatureVerifierKey(ed25519KeyPair('ed25519', seed).vkey))).sigs).toHaveLength(1);
  });
});

/* The example of https://c2sp.org/tlog-cosignature (C2SP/C2SP, CC BY 4.0): its witness line's time is the example message's. */
describe('cosignature/v1 (C2SP example)', () => {
  it('reads the key ID and time of the example cosignature', () => {
    const base64 = 'jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==';
    expect(cosignatureTimestamp(base64)).toBe(1679315147);
    let unverified: NoteError | undefined;
    try {
      openNote(`${EXAMPLE_CHECKPOINT}\n\u2014 witness.example.com/w1 ${base64}\n`, verifierList());
    } catch (error) {
      unverified = error as NoteError;
    }
    expect(unverified?.note?.unverifiedSigs).toEqual([{ name: 'witness.example.com/w1', keyId: 0x8d66cf3f, base64 }]);
  });
});
