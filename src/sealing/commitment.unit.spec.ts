import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { fuzzSettings } from '../../test/support/fuzz/fuzz-settings';
import { canonicalJson } from '../ledger/hash-chain';
import type { JsonValue } from '../shared/json';
import { commitmentOf, isSealedValue, SALT_BYTES, sealedValue, verifyCommitment } from './commitment';

const fuzz = fuzzSettings('FUZZ_RUNS', { seed: 20261206, count: 200 });
const salt = (byte: number) => new Uint8Array(SALT_BYTES).fill(byte);

/** The commitment as node:crypto computes it, with the ledger's own canonical JSON. */
const nodeCommitment = (value: JsonValue, s: Uint8Array): string =>
  `sha256:${createHash('sha256').update(s).update(canonicalJson(value), 'utf8').digest('hex')}`;

describe('commitments to personal data', () => {
  it('is SHA-256 over the salt and the canonical JSON, written sha256:<hex>', () => {
    const value = { name: 'Ramesh Kumar', phone: '9876543210' };

    const commitment = commitmentOf(value, salt(1));

    expect(commitment).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(commitment).toBe(nodeCommitment(value, salt(1)));
  });

  it('does not depend on the order of keys', () => {
    expect(commitmentOf({ b: 1, a: { d: [1, 2], c: 'x' } }, salt(2))).toBe(commitmentOf({ a: { c: 'x', d: [1, 2] }, b: 1 }, salt(2)));
  });

  it('differs for the same value under two fresh salts, so equal values cannot be told apart', () => {
    const value = 'WITNESS-Ramesh-9876543210';
    expect(commitmentOf(value, randomBytes(SALT_BYTES))).not.toBe(commitmentOf(value, randomBytes(SALT_BYTES)));
  });

  it('verifies the value and salt it was made from, and nothing else', () => {
    const value = { name: 'Sita Devi', idDocument: { type: 'aadhaar', number: '1234 5678 9012' } };
    const commitment = commitmentOf(value, salt(3));

    expect(verifyCommitment({ idDocument: { number: '1234 5678 9012', type: 'aadhaar' }, name: 'Sita Devi' }, salt(3), commitment)).toBe(
      true,
    );
    expect(verifyCommitment({ ...value, name: 'Sita Devi ' }, salt(3), commitment)).toBe(false);
    expect(verifyCommitment(value, salt(4), commitment)).toBe(false);
  });

  it('never throws when verifying: a bad salt, commitment or value is just no match', () => {
    const commitment = commitmentOf('x', salt(5));
    expect(verifyCommitment('x', new Uint8Array(31), commitment)).toBe(false);
    expect(verifyCommitment('x', salt(5), commitment.toUpperCase())).toBe(false);
    expect(verifyCommitment('x', salt(5), 'md5:abc')).toBe(false);
    expect(verifyCommitment(undefined, salt(5), commitment)).toBe(false);
    expect(verifyCommitment(Number.NaN, salt(5), commitment)).toBe(false);
  });

  it('refuses to commit with a salt of the wrong length', () => {
    expect(() => commitmentOf('x', new Uint8Array(16))).toThrow('a salt must be 32 bytes, got 16');
  });

  it('recognises exactly { sealed: "sha256:<hex>" } as a sealed value', () => {
    const commitment = commitmentOf('x', salt(6));
    expect(isSealedValue(sealedValue(commitment))).toBe(true);
    expect(isSealedValue(JSON.parse(JSON.stringify(sealedValue(commitment))))).toBe(true);
    expect(isSealedValue({ sealed: commitment, name: 'x' })).toBe(false);
    expect(isSealedValue({ sealed: commitment.slice(0, -1) })).toBe(false);
    expect(isSealedValue({ sealed: `sha512:${commitment.slice(7)}` })).toBe(false);
    expect(isSealedValue([sealedValue(commitment)])).toBe(false);
    expect(isSealedValue(commitment)).toBe(false);
    expect(isSealedValue(null)).toBe(false);
  });

  it('agrees with node:crypto on arbitrary JSON values and salts (@noble/hashes, portable JCS)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.uint8Array({ minLength: SALT_BYTES, maxLength: SALT_BYTES }), (value, s) => {
        const expected = nodeCommitment(value as JsonValue, s);
        expect(commitmentOf(value, s)).toBe(expected);
        expect(verifyCommitment(value, s, expected)).toBe(true);
      }),
      { seed: fuzz.seed, numRuns: fuzz.count, verbose: fuzz.verbose },
    );
  });
});
