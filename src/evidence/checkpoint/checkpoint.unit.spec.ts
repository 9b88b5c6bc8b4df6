import { leafHash } from '../merkle/rfc9162';
import { formatCheckpoint, openCheckpoint, originProblem, parseCheckpoint } from './checkpoint';
import { utf8 } from './note-bytes';
import { parseSignerKey, parseVerifierKey, signNote } from './signed-note';

const bytesOf = (text: string): Uint8Array => utf8(text);

/*
 * Vectors copied from transparency-dev/formats, log/checkpoint_test.go and log/note_test.go
 * (https://github.com/transparency-dev/formats, commit 0b850f1a7b4a5b70deeacac6535e4b8023809d21),
 * Copyright The Transparency-Dev Authors (Google LLC), Apache License 2.0. Their hashes are not
 * 32 bytes, so these tests read with `rootHashSize: null`.
 */
describe('checkpoint text (transparency-dev/formats vectors)', () => {
  it.each([
    ['Log', 123, 'bananas', 'Log\n123\nYmFuYW5hcw==\n'],
    ['Banana', 9944, 'the view from the tree tops is great!', 'Banana\n9944\ndGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==\n'],
  ])('TestMarshal: %s', (origin, treeSize, hash, want) => {
    expect(formatCheckpoint({ origin, treeSize, rootHash: bytesOf(hash) })).toBe(want);
  });

  const VIEW = 'dGhlIHZpZXcgZnJvbSB0aGUgdHJlZSB0b3BzIGlzIGdyZWF0IQ==';
  it.each([
    ['valid one', 'Log\n123\nYmFuYW5hcw==\n', 'Log', 123, 'bananas', []],
    ['valid with different origin', `Banana\n9944\n${VIEW}\n`, 'Banana', 9944, 'the view from the tree tops is great!', []],
    [
      'valid with trailing data',
      `Log\n9944\n${VIEW}\nHere's some associated data.\n`,
      'Log',
      9944,
      'the view from the tree tops is great!',
      ["Here's some associated data."],
    ],
    [
      'valid with multiple trailing data lines',
      `Log\n9944\n${VIEW}\nlots\nof\nlines\n`,
      'Log',
      9944,
      'the view from the tree tops is great!',
      ['lots', 'of', 'lines'],
    ],
    [
      'TestExtendCheckpoint',
      'Moon Log\n4027504\naXQncyBhIHJvb3QgaGFzaA==\n6086d1a9\nWaxing gibbous\n',
      'Moon Log',
      4027504,
      "it's a root hash",
      ['6086d1a9', 'Waxing gibbous'],
    ],
  ])('TestUnmarshalLogState: %s', (_desc, text, origin, treeSize, hash, extensions) => {
    expect(parseCheckpoint(text, { rootHashSize: null })).toEqual({
      ok: true,
      checkpoint: { origin, treeSize, rootHash: bytesOf(hash), extensions },
    });
  });

  it.each([
    ['invalid - insufficient lines', 'Head\n9944\n'],
    ['invalid - empty header', `\n9944\n${VIEW}\n`],
    ['invalid - missing newline on roothash', 'Log\n123\nYmFuYW5hcw=='],
    ['invalid size - not a number', `Log\nbananas\n${VIEW}\n`],
    ['invalid size - negative', `Log\n-34\n${VIEW}\n`],
    ['invalid size - too large', `Log\n3438945738945739845734895735\n${VIEW}\n`],
    ['invalid roothash - not base64', "Log\n123\nThisIsn'tBase64\n"],
    // Stricter than transparency-dev, which accepts these: the spec wants non-empty extension
    // lines and a tree size without leading zeroes or sign.
    ['valid with trailing newlines (there), empty extension lines (here)', `Log\n9944\n${VIEW}\n\n\n\n`],
    ['leading zero', `Log\n09944\n${VIEW}\n`],
    ['plus sign', `Log\n+9944\n${VIEW}\n`],
  ])('TestUnmarshalLogState: %s is refused', (_desc, text) => {
    expect(parseCheckpoint(text, { rootHashSize: null }).ok).toBe(false);
  });

  describe('TestParseCheckpoint: the log must sign, witnesses may, unknown keys are ignored', () => {
    const keys = {
      log: [
        'Log+2271c621+AemuH5ooBpEPcr+W8onrjA1NfuzBVHdezakU81Ekarvs',
        'PRIVATE+KEY+Log+2271c621+AdEIq9FLRQni54Wg68T96VJO+iayOaulswav2DUMKgvQ',
      ],
      known1: [
        'Known+451c786d+AXAQ0T7lbwuY4ABJ9/MYY9bWV3hmSyOGVt2x42NkmdUH',
        'PRIVATE+KEY+Known+451c786d+AQPRoE2+Z+Ed1HaHBA9F/FfracvcZ2rDU39kCecMEoci',
      ],
      known2: [
        'KnownAgain+4893b26c+AQ+LR7BFF/F/dkpIBjBpSvT0crkteizuUkavAoGeaYMj',
        'PRIVATE+KEY+KnownAgain+4893b26c+ARhZda/l25zjGZswYLDZsLNRzNpmv5wYTN9IoTr1OJ2+',
      ],
      unknown: [
        'Unknown+fdbb2e08+AWgRIYZ+8x1Vl+1Q+sR8zciNHiYI1SdlBjNw+RV0rots',
        'PRIVATE+KEY+Unknown+fdbb2e08+Aav2knTC6orbhXX8pMWuNiWgO+Wwk2DB+h1eU2Q1W1nU',
      ],
    } as const;
    const signer = (k: keyof typeof keys) => parseSignerKey(keys[k][1]);
    const verifier = (k: keyof typeof keys) => parseVerifierKey(keys[k][0]);
    const body = formatCheckpoint({ origin: 'TestParseCheckpoint', treeSize: 42, rootHash: bytesOf('abcdef') });
    const open = (text: string, signers: (keyof typeof keys)[], origin = 'TestParseCheckpoint') =>
      openCheckpoint(signNote({ text }, ...signers.map(signer)), {
        origin,
        logVerifier: verifier('log'),
        otherVerifiers: [verifier('known1'), verifier('known2')],
        rootHashSize: null,
      });

    it('pairs every signer key with its verifier key', () => {
      for (const k of Object.keys(keys) as (keyof typeof keys)[]) expect(signer(k).keyId).toBe(verifier(k).keyId);
    });

    it.each([
      ['just log sig', ['log'], 1],
      ['log and known1 sig', ['log', 'known1'], 2],
      ['log, known1, and unknown sig', ['log', 'known1', 'unknown'], 2],
      ['just required sigs', ['log', 'known1', 'known2'], 3],
      ['one verifier signs twice', ['log', 'known1', 'known1'], 2],
      ['just required sigs in mixed order', ['known2', 'log', 'known1'], 3],
      ['all sigs', ['log', 'known1', 'known2', 'unknown'], 3],
    ] as const)('%s', (_desc, signers, sigs) => {
      const opened = open(body, [...signers]);
      expect(opened.ok && opened.note.sigs.length).toBe(sigs);
      expect(opened.ok && opened.checkpoint).toEqual({
        origin: 'TestParseCheckpoint',
        treeSize: 42,
        rootHash: bytesOf('abcdef'),
        extensions: [],
      });
    });

    it.each([
      ['bad body good sigs', "if this is a valid checkpoint then I'll eat my hat\n", ['log'], 'TestParseCheckpoint', 1],
      ['just known', body, ['known1', 'known2'], 'TestParseCheckpoint', 2],
      ['all sigs but wrong logID', body, ['log', 'known1', 'known2', 'unknown'], 'this is not the logID you are looking for', 3],
    ] as const)('%s is refused', (_desc, text, signers, origin, sigs) => {
      const opened = open(text, [...signers], origin);
      expect(opened.ok).toBe(false);
      expect(opened.note?.sigs.length).toBe(sigs);
    });

    it('no sigs is refused', () => {
      expect(() => signNote({ text: body })).not.toThrow();
      expect(open(body, []).ok).toBe(false);
    });
  });
});

/*
 * golang.org/x/mod sumdb/tlog/note_test.go TestFormatTree (commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db,
 * BSD-3-Clause): the Go checksum database's tree note is a checkpoint whose root is RFC 6962's
 * RecordHash("hello world") = SHA-256(0x00 || "hello world"), our leafHash.
 */
describe('checkpoint text (golang.org/x/mod sumdb/tlog vector)', () => {
  const golden = 'go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n';

  it('formats the Go tree note from our own leaf hash, and reads it back', () => {
    const rootHash = leafHash(bytesOf('hello world'));
    expect(formatCheckpoint({ origin: 'go.sum database tree', treeSize: 123456789012, rootHash })).toBe(golden);
    expect(parseCheckpoint(golden)).toEqual({
      ok: true,
      checkpoint: { origin: 'go.sum database tree', treeSize: 123456789012, rootHash, extensions: [] },
    });
  });

  it('refuses the Go bad trees', () => {
    expect(parseCheckpoint('go.sum database tree\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n').ok).toBe(false);
    expect(parseCheckpoint('go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n').ok).toBe(false);
  });
});

describe('checkpoint text (C2SP tlog-checkpoint example, CC BY 4.0)', () => {
  it('reads the example body: origin, size, 32-byte root', () => {
    const parsed = parseCheckpoint('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
    expect(parsed.ok && { ...parsed.checkpoint, rootHash: parsed.checkpoint.rootHash.length }).toEqual({
      origin: 'example.com/behind-the-sofa',
      treeSize: 20852163,
      rootHash: 32,
      extensions: [],
    });
  });

  it('wants a 32-byte root unless told otherwise', () => {
    expect(parseCheckpoint('Log\n123\nYmFuYW5hcw==\n')).toEqual({ ok: false, reason: 'the root hash has 7 bytes, not 32' });
  });

  it('refuses to format what it could not read back', () => {
    expect(() => formatCheckpoint({ origin: '', treeSize: 1, rootHash: new Uint8Array(32) })).toThrow(TypeError);
    expect(() => formatCheckpoint({ origin: 'a', treeSize: -1, rootHash: new Uint8Array(32) })).toThrow(TypeError);
    expect(() => formatCheckpoint({ origin: 'a', treeSize: 1, rootHash: new Uint8Array(32), extensions: [''] })).toThrow(TypeError);
  });
});

describe('originProblem', () => {
  it.each(['example.com/log42', 'ledger.ceo.example.gov.in/seizures', 'seizure-custody-ledger/0123456789abcdef', 'x'])(
    'accepts %s',
    (origin) => {
      expect(originProblem(origin)).toBeUndefined();
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['https://example.com/log', 'must be a schema-less URL such as ledger.example.gov.in/seizures (no https://)'],
    ['example.com/my log', 'must not contain spaces or "+" (it is also the name of the log key)'],
    ['example.com/a+b', 'must not contain spaces or "+" (it is also the name of the log key)'],
    ['example.com/\u00a0', 'must not contain spaces or "+" (it is also the name of the log key)'],
    ['example.com/\u0007', 'must not contain control characters'],
    ['a'.repeat(256), 'must be at most 255 bytes'],
  ])('refuses %j', (origin, reason) => {
    expect(originProblem(origin)).toBe(reason);
  });
});
