import fc from 'fast-check';
import { fuzzSettings } from '../../../test/support/fuzz/fuzz-settings';
import { nativeLeafHash, nativeNodeHash } from './native-hashes';
import { bytesToHex, leafHash, nodeHash } from './rfc9162';

const settings = fuzzSettings('FUZZ_RUNS', { seed: 9162, count: 500 });
const run = { seed: settings.seed, numRuns: settings.count };

/** The server's native hashes against the portable ones the browser verifier runs (@noble/hashes). */
describe(`native Merkle hashes (FUZZ_SEED=${settings.seed}, FUZZ_RUNS=${settings.count})`, () => {
  it('hash a leaf as the portable code does, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (leaf) => {
        expect(bytesToHex(nativeLeafHash(leaf))).toBe(bytesToHex(leafHash(leaf)));
      }),
      run,
    );
  });

  it('hash two children as the portable code does, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }), (left, right) => {
        expect(bytesToHex(nativeNodeHash(left, right))).toBe(bytesToHex(nodeHash(left, right)));
      }),
      run,
    );
  });

  it('give plain 32-byte Uint8Arrays, as the portable code does, and differ by prefix', () => {
    const zeros = new Uint8Array(32);
    const leaf = nativeLeafHash(zeros);
    expect(Object.getPrototypeOf(leaf)).toBe(Uint8Array.prototype);
    expect(leaf).toEqual(leafHash(zeros));
    expect(leaf).toHaveLength(32);
    // RFC 9162 §2.1.1 separates leaves from nodes by the first byte: 0x00 || 64 bytes is not 0x01 || 32 || 32.
    expect(bytesToHex(nativeLeafHash(new Uint8Array(64)))).not.toBe(bytesToHex(nativeNodeHash(zeros, zeros)));
  });
});
