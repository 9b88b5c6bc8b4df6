import { createSecretKey, randomBytes } from 'node:crypto';
import { kekCheckValue, newDataKey, unwrapKey, wrapKey, WRAPPED_KEY_BYTES } from './key-wrapping';
import { dataSubject, SUBJECTS } from './subjects';

const kek = createSecretKey(randomBytes(32));
const record = { keyId: 'k-1', seizureId: 'SZ-1', subject: 'witness-1' };

describe('key wrapping', () => {
  it('unwraps what it wrapped, under the same KEK and record only', () => {
    const key = newDataKey();
    const wrapped = wrapKey(kek, record, key);

    expect(wrapped).toHaveLength(WRAPPED_KEY_BYTES);
    expect(wrapped.includes(key.export())).toBe(false);
    expect(unwrapKey(kek, record, wrapped)?.export()).toEqual(key.export());
    expect(unwrapKey(createSecretKey(randomBytes(32)), record, wrapped)).toBeUndefined();
    expect(unwrapKey(kek, { ...record, keyId: 'k-2' }, wrapped)).toBeUndefined();
    expect(unwrapKey(kek, { ...record, subject: 'witness-2' }, wrapped)).toBeUndefined();
    expect(unwrapKey(kek, { ...record, seizureId: 'SZ-2' }, wrapped)).toBeUndefined();
    expect(unwrapKey(kek, record, wrapped.subarray(1))).toBeUndefined();
  });

  it('gives each KEK its own check value', () => {
    expect(kekCheckValue(kek)).toMatch(/^[0-9a-f]{64}$/);
    expect(kekCheckValue(kek)).toBe(kekCheckValue(createSecretKey(kek.export())));
    expect(kekCheckValue(kek)).not.toBe(kekCheckValue(createSecretKey(randomBytes(32))));
  });
});

describe('data subjects', () => {
  it('accepts the closed vocabulary and nothing that could carry a name', () => {
    expect([SUBJECTS.seizedFrom, SUBJECTS.freeText, SUBJECTS.witness(3), SUBJECTS.releaseRecipient(1)]).toEqual([
      'seized-from',
      'free-text',
      'witness-3',
      'release-recipient-1',
    ]);
    expect(dataSubject('witness-12')).toBe('witness-12');
    for (const bad of ['witness-0', 'witness-01', 'witness-Ramesh', 'seized-from ', 'Witness-1', '']) {
      expect(() => dataSubject(bad)).toThrow('is not a data subject');
    }
    expect(() => SUBJECTS.witness(0)).toThrow('a witness number runs from 1 to 9999, got 0');
  });
});
