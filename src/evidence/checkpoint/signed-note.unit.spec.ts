import {
  NoteError,
  ed25519KeyId,
  ed25519KeyPair,
  ed25519NoteSigner,
  ed25519VerifierKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  verifierList,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifiers,
} from './signed-note';
import { fromBase64, toBase64 } from './note-bytes';

/*
 * Known-answer vectors copied from golang.org/x/mod, sumdb/note/note_test.go and example_test.go
 * (https://github.com/golang/mod, commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db),
 * Copyright 2009 The Go Authors, BSD-3-Clause licence (its LICENSE file). Each test below names the
 * Go test it replays; results must match byte for byte and error text for error text.
 */
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
const peter: NoteSignature = {
  name: 'PeterNeumann',
  keyId: 0xc74f20a3,
  base64: 'x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=',
};
const enoch: NoteSignature = {
  name: 'EnochRoot',
  keyId: 0xaf0cfe78,
  base64: 'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=',
};

/** Go slices the UTF-8 bytes: `sig[:60] + "ABCD" + sig[60:]`, where the em dash is three bytes. */
const insertAtByte60 = (line: string): string => {
  const bytes = new TextEncoder().encode(line);
  return new TextDecoder().decode(bytes.slice(0, 60)) + 'ABCD' + new TextDecoder().decode(bytes.slice(60));
};

/** The NoteError a call throws (fails the test when it throws none). */
function noteErrorOf(run: () => unknown): NoteError {
  try {
    run();
  } catch (error) {
    if (error instanceof NoteError) return error;
    throw error;
  }
  throw new Error('expected a NoteError');
}

/** Every proper substring and every one-character increment of a key string (Go's manglings). */
function manglings(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= key.length; i++)
    for (let j = i + 1; j <= key.length; j++) if (i !== 0 || j !== key.length) out.push(key.slice(i, j));
  for (let i = 0; i < key.length; i++) out.push(key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1));
  return out;
}

describe('signed notes (golang.org/x/mod/sumdb/note vectors)', () => {
  const peterVerifier = parseVerifierKey(PETER_VKEY);
  const enochVerifier = parseVerifierKey(ENOCH_VKEY);

  it('TestNewVerifier: reads the vkey and refuses every mangling of it', () => {
    expect({ name: peterVerifier.name, keyId: peterVerifier.keyId }).toEqual({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
    for (const bad of manglings(PETER_VKEY)) expect(() => parseVerifierKey(bad)).toThrow(NoteError);
    // Wrong key length and unknown algorithm, each with its key hash adjusted to match.
    expect(noteErrorOf(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).message).toBe(
      'malformed verifier id',
    );
    expect(noteErrorOf(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).message).toBe(
      'unknown verifier algorithm',
    );
  });

  it('TestNewSigner: reads the skey, whose public half is the vkey, and refuses every mangling of it', () => {
    const signer = parseSignerKey(PETER_SKEY);
    expect({ name: signer.name, keyId: signer.keyId }).toEqual({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
    for (const bad of manglings(PETER_SKEY)) expect(() => parseSignerKey(bad)).toThrow(NoteError);
  });

  it('ExampleSign_add_signatures: GenerateKey from 32 zero bytes gives the EnochRoot keys', () => {
    const pair = ed25519KeyPair('EnochRoot', new Uint8Array(32));
    expect(pair.vkey).toBe(ENOCH_VKEY);
    expect(pair.skey).toBe('PRIVATE+KEY+EnochRoot+af0cfe78+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(parseSignerKey(pair.skey).keyId).toBe(0xaf0cfe78);
  });

  it('TestFromEd25519: the vkey of a raw public key, the key ID over name, newline, 0x01 and the key', () => {
    const signer = ed25519NoteSigner('EnochRoot', new Uint8Array(32));
    expect(ed25519VerifierKey('EnochRoot', signer.publicKey)).toBe(ENOCH_VKEY);
    expect(ed25519KeyId('EnochRoot', signer.publicKey)).toBe(0xaf0cfe78);
    expect(() => ed25519VerifierKey('EnochRoot', signer.publicKey.slice(1))).toThrow('invalid public key size 31, expected 32');
  });

  it('TestSign: signs byte for byte as Go, replaces an old signature of the same key, refuses bad input', () => {
    const signer = parseSignerKey(PETER_SKEY);
    const want = `${TEXT}\n${PETER_SIG}`;
    expect(signNote({ text: TEXT }, signer)).toBe(want);
    expect(signNote({ text: TEXT, sigs: [{ name: 'PeterNeumann', keyId: 0xc74f20a3, base64: 'BADSIGN=' }] }, signer)).toBe(want);

    expect(noteErrorOf(() => signNote({ text: 'abc' }, signer)).message).toBe('malformed note');
    expect(noteErrorOf(() => signNote({ text: TEXT, sigs: [{ name: 'a+b', keyId: 0, base64: 'ABCD' }] })).message).toBe('malformed note');
    expect(
      noteErrorOf(() => signNote({ text: TEXT, sigs: [{ name: 'PeterNeumann', keyId: 0xc74f20a3, base64: 'BADHASH=' }] })).message,
    ).toBe('malformed note');
    const badName: NoteSigner = { ...signer, name: 'bad name', sign: signer.sign };
    expect(noteErrorOf(() => signNote({ text: TEXT }, badName)).message).toBe('invalid signer');
    const failing: NoteSigner = { name: signer.name, keyId: signer.keyId, sign: () => { throw new Error('surprise!'); } }; // prettier-ignore
    expect(() => signNote({ text: TEXT }, failing)).toThrow('surprise!');
  });

  it('ExampleSign_add_signatures: a second signer appends its line after the kept one', () => {
    const opened = openNote(`${TEXT}\n${PETER_SIG}`, verifierList(peterVerifier));
    const enochSigner = ed25519NoteSigner('EnochRoot', new Uint8Array(32));
    expect(signNote(opened, enochSigner)).toBe(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`);
  });

  it('TestVerifierList: finds a key by name and ID, names unknown and ambiguous ones', () => {
    const list = verifierList(peterVerifier, enochVerifier, enochVerifier);
    expect(list.verifier('PeterNeumann', 0xc74f20a3)).toEqual({ found: peterVerifier });
    expect(list.verifier('PeterNeumann', 0xc74f20a4)).toEqual({ unknown: true });
    expect(list.verifier('PeterNeuman', 0xc74f20a3)).toEqual({ unknown: true });
    expect(list.verifier('EnochRoot', 0xaf0cfe78)).toEqual({ ambiguous: true });
  });

  describe('TestOpen', () => {
    const signed = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;

    it('verifies known keys, keeps unknown ones unverified, and needs at least one known', () => {
      expect(openNote(signed, verifierList(peterVerifier))).toEqual({ text: TEXT, sigs: [peter], unverifiedSigs: [enoch] });
      expect(openNote(signed, verifierList(peterVerifier, enochVerifier))).toEqual({
        text: TEXT,
        sigs: [peter, enoch],
        unverifiedSigs: [],
      });
      const unverified = noteErrorOf(() => openNote(signed, verifierList()));
      expect(unverified.message).toBe('note has no verifiable signatures');
      expect(unverified.note).toEqual({ text: TEXT, sigs: [], unverifiedSigs: [peter, enoch] });
    });

    it('reads bytes as well as text', () => {
      expect(openNote(new TextEncoder().encode(signed), verifierList(peterVerifier)).sigs).toEqual([peter]);
    });

    it('refuses an ambiguous key only when a signature needs it', () => {
      const doubled = verifierList(enochVerifier, peterVerifier, enochVerifier);
      expect(noteErrorOf(() => openNote(`${TEXT}\n${ENOCH_SIG}`, doubled)).message).toBe('ambiguous key EnochRoot+af0cfe78');
      expect(openNote(`${TEXT}\n${PETER_SIG}`, doubled).sigs).toEqual([peter]);
    });

    it('refuses more than 100 signatures, known or not', () => {
      for (const known of [verifierList(peterVerifier), verifierList()]) {
        expect(noteErrorOf(() => openNote(`${TEXT}\n${PETER_SIG.repeat(101)}`, known)).message).toBe('malformed note');
      }
    });

    it('refuses the whole note when a known key’s signature fails', () => {
      const broken = `${TEXT}\n${insertAtByte60(PETER_SIG)}`;
      expect(noteErrorOf(() => openNote(broken, verifierList(peterVerifier))).message).toBe(
        'invalid signature for key PeterNeumann+c74f20a3',
      );
    });

    it('drops repeated signatures, verified and unverified', () => {
      const enochABCD = { ...enoch, base64: `${enoch.base64.slice(0, 46)}ABCD${enoch.base64.slice(46)}` };
      const repeated = `${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${insertAtByte60(ENOCH_SIG)}`;
      expect(enochABCD.base64).toBe('rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5nABCD2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=');
      expect(openNote(repeated, verifierList(peterVerifier))).toEqual({ text: TEXT, sigs: [peter], unverifiedSigs: [enoch, enochABCD] });
    });

    it.each([
      ['no blank line', TEXT],
      ['no signature', `${TEXT}\n`],
      ['no final newline', `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
      ['a control character', `\x01${TEXT}\n${PETER_SIG}`],
      ['invalid UTF-8', new Uint8Array([0xff, ...new TextEncoder().encode(`${TEXT}\n${PETER_SIG}`)])],
      ['a name with a space', `${TEXT}\n\u2014 Bad Name ${peter.base64}`],
      ['a line after the signatures', `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
      ['a lone surrogate in text', `\ud800${TEXT}\n${PETER_SIG}`],
    ])('is malformed with %s', (_case, message) => {
      expect(noteErrorOf(() => openNote(message, verifierList(peterVerifier))).message).toBe('malformed note');
    });

    it('refuses a lookup that answers with the wrong key', () => {
      const fixed: NoteVerifiers = { verifier: () => ({ found: peterVerifier }) };
      const misnamed = PETER_SIG.replace('PeterNeumann', 'CarmenSandiego');
      expect(noteErrorOf(() => openNote(`${TEXT}\n${misnamed}`, fixed)).message).toBe("verifier name or hash doesn't match signature");
      const wrongHash = PETER_SIG.replace('x08g', 'xxxx');
      expect(noteErrorOf(() => openNote(`${TEXT}\n${wrongHash}`, fixed)).message).toBe("verifier name or hash doesn't match signature");
    });
  });
});

/*
 * The example of https://c2sp.org/signed-note (C2SP/C2SP signed-note.md, commit
 * 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9; specifications CC BY 4.0, code and data BSD-1-Clause).
 */
describe('signed notes (C2SP signed-note example)', () => {
  it('verifies the example note with the example verifier key', () => {
    const verifier = parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
    const note = openNote(
      'This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n',
      verifierList(verifier),
    );
    expect(note.text).toBe('This is an example message.\n');
    expect(note.sigs.map((s) => s.keyId)).toEqual([0x530d903a]);
  });
});

describe('base64 as Go reads it', () => {
  it.each([
    ['', []],
    ['AA==', [0]],
    ['AAE=', [0, 1]],
    ['BADSIGN=', [0x04, 0x00, 0xd2, 0x20, 0x63]],
  ])('decodes %j', (text, bytes) => {
    expect(Array.from(fromBase64(text) ?? [-1])).toEqual(bytes);
    if (text !== 'BADSIGN=') expect(toBase64(new Uint8Array(bytes))).toBe(text);
  });

  it.each(['A', 'AA=', 'A===', 'AA=A', 'AA AA===', '5%/$!\n 2', 'AAAA*AAA'])('refuses %j', (text) => {
    expect(fromBase64(text)).toBeNull();
  });
});
