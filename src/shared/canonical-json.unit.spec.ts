import fc from 'fast-check';
import { canonicalJson as projectCanonicalJson } from '../ledger/hash-chain';
import type { JsonValue } from './json';
import { canonicalJson } from './canonical-json';

describe('canonicalJson (RFC 8785, dependency-free)', () => {
  it('agrees with the project canonicalJson on many random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(projectCanonicalJson(value as JsonValue));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on random unicode strings and keys, including astral characters and Devanagari', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('नकद', '€', '😀', '\u0080', 'a', 'B', '\u00df'));
    fc.assert(
      fc.property(fc.dictionary(text, fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer())), (value) => {
        expect(canonicalJson(value)).toBe(projectCanonicalJson(value as JsonValue));
      }),
      { numRuns: 1000 },
    );
  });

  it('sorts keys by UTF-16 code units and writes numbers in ECMAScript form', () => {
    expect(canonicalJson({ '\u20ac': 1, '\ud83d\ude00': 2, '\r': 3, '1': 4, '\u0080': 5, ö: 6 })).toBe(
      '{"\\r":3,"1":4,"\u0080":5,"ö":6,"\u20ac":1,"\ud83d\ude00":2}',
    );
    // eslint-disable-next-line no-loss-of-precision -- RFC 8785's own example: the literal rounds exactly as JSON numbers do
    expect(canonicalJson([1e21, 1e-7, -0, 0.1 + 0.2, 333333333.33333329])).toBe('[1e+21,1e-7,0,0.30000000000000004,333333333.3333333]');
  });

  it('rejects what has no JSON form instead of dropping it', () => {
    expect(() => canonicalJson(NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: Infinity })).toThrow(/Infinity/);
    expect(() => canonicalJson({ a: undefined })).toThrow(TypeError);
    expect(() => canonicalJson(new Date(0))).toThrow(/plain JSON object/);
    expect(() => canonicalJson(BigInt(1))).toThrow(TypeError);
  });
});
