import { createSecretKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { fuzzSettings } from '../../../../test/support/fuzz/fuzz-settings';
import type { KeyLookup, KeyTombstone, SubjectKey } from '../../../sealing/key-store';
import { SUBJECTS, type DataSubject } from '../../../sealing/subjects';
import { openStoredBundle, sealStoredBundle, StoredBundleDamagedError, type StoredBundleForm } from './stored-bundle-sealing';

const fuzz = fuzzSettings('FUZZ_RUNS', { seed: 20261207, count: 120 });
const ID = { bundleHash: 'ab'.repeat(32), seizureId: '3f1c2b9e-7d4a-4e21-9a55-0c1e2d3f4a5b' };
const MARKER = 'PDMARK-stored-bundle Ramesh Kumar';

const keyOf = (subject: DataSubject, n: number): SubjectKey => ({
  keyId: `key-${n}-${subject}`,
  seizureId: ID.seizureId,
  subject,
  key: createSecretKey(randomBytes(32)),
});
const KEYS = [keyOf(SUBJECTS.seizedFrom, 1), keyOf(SUBJECTS.witness(1), 2), keyOf(SUBJECTS.freeText, 3), keyOf(SUBJECTS.witness(2), 4)];

const tombstoneOf = (key: SubjectKey): KeyTombstone => ({
  keyId: key.keyId,
  seizureId: key.seizureId,
  subject: key.subject,
  createdAt: '2024-04-19T05:30:00.000Z',
  destroyedAt: '2024-05-01T06:00:00.000Z',
  reason: 'erased',
  erasure: { eventId: 'e-erasure', orderReference: 'DGC/VNS/2024/9' },
});

/** The key store after erasing some keys: the others available, the erased ones tombstones. */
const lookupOf =
  (keys: readonly SubjectKey[], erased: ReadonlySet<string> = new Set()): KeyLookup =>
  (keyId) => {
    const key = keys.find((k) => k.keyId === keyId);
    if (key === undefined) return { status: 'unknown' };
    return erased.has(keyId) ? { status: 'erased', tombstone: tombstoneOf(key) } : { status: 'available', key };
  };

/** The form as a store writes and reads it back: plain JSON for the shares, bytes for the body. */
function throughStorage(form: StoredBundleForm): StoredBundleForm {
  const body = 'clear' in form.body ? { clear: Buffer.from(form.body.clear) } : { sealed: { ...form.body.sealed } };
  return { ...form, body, shares: JSON.parse(JSON.stringify(form.shares)) };
}

const storedBytes = (form: StoredBundleForm): Buffer =>
  Buffer.concat([
    Buffer.from(JSON.stringify({ ...form, body: null })),
    'clear' in form.body ? form.body.clear : Buffer.from(form.body.sealed.ciphertext, 'base64'),
  ]);

/** Bundle-like JSON: events with opened values and salts, a custody section quoting them, and any other JSON, in any Unicode. */
const bundleLike = fc.record({
  format: fc.constant('seizure-ledger-evidence/2'),
  events: fc.array(
    fc.record({
      id: fc.uuid(),
      data: fc.jsonValue(),
      revealed: fc.array(fc.record({ fieldPath: fc.string(), value: fc.jsonValue(), salt: fc.base64String() }), { maxLength: 4 }),
    }),
    { maxLength: 4 },
  ),
  custodyHistory: fc.dictionary(fc.string(), fc.jsonValue()),
  note: fc.string({ unit: 'binary' }),
  bundleHash: fc.constant(ID.bundleHash),
});

describe('stored bundle sealing', () => {
  it('gives back exactly the bytes stored, for random bundles under any number of subject keys', () => {
    fc.assert(
      fc.property(bundleLike, fc.subarray(KEYS), (bundle, keys) => {
        const bytes = Buffer.from(JSON.stringify({ ...bundle, remark: MARKER }), 'utf8');
        const form = throughStorage(sealStoredBundle(ID, bytes, keys));

        const opened = openStoredBundle(form, lookupOf(KEYS));

        expect(opened.status).toBe('opened');
        expect(opened.status === 'opened' && opened.bytes.equals(bytes)).toBe(true);
        expect(form.shares.map((s) => s.keyId)).toEqual(keys.map((k) => k.keyId).sort());
        // Sealed under any key, nothing of the bundle is readable in what is stored.
        if (keys.length > 0) expect(storedBytes(form).includes(Buffer.from(MARKER))).toBe(false);
      }),
      { seed: fuzz.seed, numRuns: fuzz.count, verbose: fuzz.verbose },
    );
  });

  it('answers keys-gone, naming each erased key with its tombstone, once any one of its keys is destroyed', () => {
    fc.assert(
      fc.property(fc.subarray(KEYS, { minLength: 1 }), fc.nat(), (keys, pick) => {
        const form = sealStoredBundle(ID, Buffer.from(JSON.stringify({ remark: MARKER })), keys);
        const erased = keys[pick % keys.length];

        const opened = openStoredBundle(form, lookupOf(KEYS, new Set([erased.keyId])));

        expect(opened).toEqual({ status: 'keys-gone', gone: [{ keyId: erased.keyId, tombstone: tombstoneOf(erased) }] });
      }),
      { seed: fuzz.seed, numRuns: 40 },
    );
  });

  it('keeps a bundle that opened no personal value in clear (deflated), and one sealed after a key was gone unreadable', () => {
    const bytes = Buffer.from('{"redacted":true}');
    const clear = sealStoredBundle(ID, bytes, []);
    expect(clear.shares).toEqual([]);
    expect(openStoredBundle(clear, () => ({ status: 'unknown' }))).toEqual({ status: 'opened', bytes });

    const late = sealStoredBundle(ID, bytes, [KEYS[0], { keyId: KEYS[1].keyId }]);
    expect(late.shares.find((s) => s.keyId === KEYS[1].keyId)?.sealed).toBeNull();
    // Even were the key back (a restored key store), the share it would open was never kept.
    expect(openStoredBundle(late, lookupOf(KEYS))).toEqual({ status: 'keys-gone', gone: [{ keyId: KEYS[1].keyId }] });
  });

  it('refuses a body or share moved to another bundle, or altered', () => {
    const form = sealStoredBundle(ID, Buffer.from(JSON.stringify({ remark: MARKER })), KEYS.slice(0, 2));
    const lookup = lookupOf(KEYS);
    expect(() => openStoredBundle({ ...form, bundleHash: 'cd'.repeat(32) }, lookup)).toThrow(StoredBundleDamagedError);
    expect(() => openStoredBundle({ ...form, seizureId: 'another' }, lookup)).toThrow(StoredBundleDamagedError);
    expect(() => openStoredBundle({ ...form, shares: [...form.shares].reverse() }, lookup)).toThrow(StoredBundleDamagedError);
    if (!('sealed' in form.body)) throw new Error('expected a sealed body');
    const flipped = Buffer.from(form.body.sealed.ciphertext, 'base64');
    flipped[0] ^= 1;
    const altered = { ...form, body: { sealed: { ...form.body.sealed, ciphertext: flipped.toString('base64') } } };
    expect(() => openStoredBundle(altered, lookup)).toThrow(StoredBundleDamagedError);
  });
});
