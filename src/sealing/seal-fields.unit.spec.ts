import { createSecretKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { fuzzSettings } from '../../test/support/fuzz/fuzz-settings';
import type { JsonValue } from '../shared/json';
import { isSealedValue, verifyCommitment } from './commitment';
import { parseEnvelopes, serializeEnvelopes, type Envelope } from './envelope';
import type { KeyLookup, KeyTombstone, SubjectKey } from './key-store';
import { keyIdsOf, revealFields, sealFields, type FieldReveal } from './seal-fields';
import { SUBJECTS, type DataSubject } from './subjects';

const fuzz = fuzzSettings('FUZZ_RUNS', { seed: 20261206, count: 150 });
const EVENT_ID = '3f1c2b9e-7d4a-4e21-9a55-0c1e2d3f4a5b';
const OTHER_EVENT_ID = '8a0e6c1d-2b3f-4c5d-8e9f-a0b1c2d3e4f5';

function subjectKey(subject: DataSubject): SubjectKey {
  return { keyId: `key-${subject}`, seizureId: 'SZ-1', subject, key: createSecretKey(randomBytes(32)) };
}

const lookupOf =
  (...keys: SubjectKey[]): KeyLookup =>
  (keyId) => {
    const key = keys.find((k) => k.keyId === keyId);
    return key ? { status: 'available', key } : { status: 'unknown' };
  };

const seizure = {
  memoNumber: 'FS/VNS/2024/117',
  seizedFrom: { name: 'Ramesh Kumar', phone: '9876543210', address: { line: '12 Lanka', district: 'Varanasi' } },
  witnesses: [
    { name: 'WITNESS-Ramesh-9876543210', phone: '9000000001' },
    { name: 'Sita Devi', phone: '9123456780' },
  ],
  remarks: 'found in the boot of the car',
} satisfies JsonValue;

const seizedFrom = subjectKey(SUBJECTS.seizedFrom);
const witness1 = subjectKey(SUBJECTS.witness(1));
const witness2 = subjectKey(SUBJECTS.witness(2));
const freeText = subjectKey(SUBJECTS.freeText);
const PATHS = ['/seizedFrom', '/witnesses/0', '/witnesses/1', '/remarks'];
const keyOf = (path: string): SubjectKey =>
  ({ '/seizedFrom': seizedFrom, '/witnesses/0': witness1, '/witnesses/1': witness2, '/remarks': freeText })[path] ?? seizedFrom;
const allKeys = lookupOf(seizedFrom, witness1, witness2, freeText);

const statuses = (fields: FieldReveal[]) => fields.map((f) => [f.fieldPath, f.status === 'unreadable' ? f.reason : f.status]);

describe('sealFields and revealFields', () => {
  it('puts commitments in place of the values and restores them from the envelopes', () => {
    const { sealedData, envelopes } = sealFields(EVENT_ID, seizure, PATHS, keyOf);

    expect(JSON.stringify(sealedData)).not.toMatch(/Ramesh|Sita|9876543210|boot/);
    expect(sealedData).toEqual({
      memoNumber: 'FS/VNS/2024/117',
      seizedFrom: { sealed: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      witnesses: [{ sealed: expect.any(String) }, { sealed: expect.any(String) }],
      remarks: { sealed: expect.any(String) },
    });
    expect(envelopes.map((e) => [e.fieldPath, e.keyId, e.eventId])).toEqual(PATHS.map((p) => [p, keyOf(p).keyId, EVENT_ID]));

    const revealed = revealFields(EVENT_ID, sealedData, envelopes, allKeys);

    expect(revealed.data).toEqual(seizure);
    expect(statuses(revealed.fields)).toEqual(PATHS.map((p) => [p, 'revealed']));
  });

  it('hands out each salt with its revealed value, so a verifier can check the commitment', () => {
    const { sealedData, envelopes } = sealFields(EVENT_ID, seizure, ['/seizedFrom'], keyOf);
    const [field] = revealFields(EVENT_ID, sealedData, envelopes, allKeys).fields;

    expect(field.status).toBe('revealed');
    if (field.status !== 'revealed') return;
    expect(verifyCommitment(seizure.seizedFrom, field.salt, field.commitment)).toBe(true);
    expect(field.commitment).toBe((sealedData as { seizedFrom: { sealed: string } }).seizedFrom.sealed);
  });

  it('leaves the input data untouched and seals the same value differently each time', () => {
    const before = structuredClone(seizure);
    const first = sealFields(EVENT_ID, seizure, ['/remarks'], keyOf);
    const second = sealFields(EVENT_ID, seizure, ['/remarks'], keyOf);

    expect(seizure).toEqual(before);
    expect(first.sealedData).not.toEqual(second.sealedData);
    expect(first.envelopes[0].ciphertext).not.toBe(second.envelopes[0].ciphertext);
  });

  it('refuses paths that name nothing, repeat, nest, or are sealed already', () => {
    expect(() => sealFields(EVENT_ID, seizure, ['/releaseTo'], keyOf)).toThrow('"/releaseTo" names no value in the event data');
    expect(() => sealFields(EVENT_ID, seizure, ['/witnesses/2'], keyOf)).toThrow('names no value');
    expect(() => sealFields(EVENT_ID, seizure, ['/remarks', '/remarks'], keyOf)).toThrow('"/remarks" is named twice');
    expect(() => sealFields(EVENT_ID, seizure, ['/witnesses', '/witnesses/0'], keyOf)).toThrow('"/witnesses/0" lies inside "/witnesses"');
    expect(() => sealFields(EVENT_ID, seizure, [''], keyOf)).toThrow('JSON Pointer');
    const { sealedData } = sealFields(EVENT_ID, seizure, ['/remarks'], keyOf);
    expect(() => sealFields(EVENT_ID, sealedData, ['/remarks'], keyOf)).toThrow('"/remarks" is sealed already');
  });

  it('reads keys with / and ~ through JSON Pointer escapes', () => {
    const data = { 'a/b': 'slash', 'c~d': 'tilde' };
    const { sealedData, envelopes } = sealFields(EVENT_ID, data, ['/a~1b', '/c~0d'], () => freeText);
    expect(revealFields(EVENT_ID, sealedData, envelopes, lookupOf(freeText)).data).toEqual(data);
  });

  it('seals a field named __proto__ as a plain field, never touching the prototype', () => {
    const data = JSON.parse('{"__proto__":{"name":"x"},"remarks":"y"}') as JsonValue;
    const { sealedData, envelopes } = sealFields(EVENT_ID, data, ['/__proto__'], () => freeText);

    // Had the prototype been replaced, `name` and `sealed` would be inherited.
    expect(Object.keys(sealedData as object)).toEqual(['__proto__', 'remarks']);
    expect('name' in (sealedData as object) || 'sealed' in (sealedData as object)).toBe(false);
    expect(isSealedValue((sealedData as Record<string, JsonValue>)['__proto__'])).toBe(true);
    const revealed = revealFields(EVENT_ID, sealedData, envelopes, lookupOf(freeText)).data;
    expect('name' in (revealed as object)).toBe(false);
    expect(JSON.stringify(revealed)).toBe('{"__proto__":{"name":"x"},"remarks":"y"}');
  });

  describe('authentication', () => {
    const sealed = () => sealFields(EVENT_ID, seizure, ['/seizedFrom', '/witnesses/0'], keyOf);
    const flipFirstByte = (base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      bytes[0] ^= 0x01;
      return bytes.toString('base64');
    };

    it.each(['ciphertext', 'nonce', 'tag'] as const)('fails when the %s is altered', (part) => {
      const { sealedData, envelopes } = sealed();
      const tampered: Envelope = { ...envelopes[0], [part]: flipFirstByte(envelopes[0][part]) };

      const revealed = revealFields(EVENT_ID, sealedData, [tampered, envelopes[1]], allKeys);

      expect(statuses(revealed.fields)).toEqual([
        ['/seizedFrom', 'authentication failed'],
        ['/witnesses/0', 'revealed'],
      ]);
      expect(revealed.data).toMatchObject({ seizedFrom: (sealedData as Record<string, JsonValue>).seizedFrom });
    });

    it('fails for an envelope moved to another event, even with its event id rewritten', () => {
      const { envelopes } = sealed();
      const other = sealFields(OTHER_EVENT_ID, seizure, ['/seizedFrom'], keyOf);
      const moved: Envelope = { ...envelopes[0], eventId: OTHER_EVENT_ID };

      expect(statuses(revealFields(OTHER_EVENT_ID, other.sealedData, [moved], allKeys).fields)).toEqual([
        ['/seizedFrom', 'authentication failed'],
      ]);
      expect(statuses(revealFields(OTHER_EVENT_ID, other.sealedData, [envelopes[0]], allKeys).fields)).toEqual([
        ['/seizedFrom', 'envelope of another event'],
      ]);
    });

    it('fails for an envelope moved to another field, and for a commitment swapped in the data', () => {
      const { sealedData, envelopes } = sealed();
      const data = sealedData as { seizedFrom: JsonValue; witnesses: JsonValue[] };
      const moved: Envelope = { ...envelopes[0], fieldPath: '/witnesses/0' };
      expect(statuses(revealFields(EVENT_ID, sealedData, [moved], allKeys).fields)).toEqual([['/witnesses/0', 'authentication failed']]);

      const swapped = { ...data, seizedFrom: data.witnesses[0] };
      expect(statuses(revealFields(EVENT_ID, swapped, [envelopes[0]], allKeys).fields)).toEqual([['/seizedFrom', 'authentication failed']]);
    });

    it('fails with another subject key, and reports a key it does not know', () => {
      const { sealedData, envelopes } = sealed();
      const wrongKey = { ...witness1, keyId: seizedFrom.keyId };
      expect(statuses(revealFields(EVENT_ID, sealedData, envelopes, lookupOf(wrongKey)).fields)).toEqual([
        ['/seizedFrom', 'authentication failed'],
        ['/witnesses/0', 'key unknown'],
      ]);
    });

    it('reports an envelope without a sealed value at its path, and a second envelope for one path', () => {
      const { sealedData, envelopes } = sealed();
      expect(statuses(revealFields(EVENT_ID, seizure, envelopes.slice(0, 1), allKeys).fields)).toEqual([
        ['/seizedFrom', 'no sealed value at the path'],
      ]);
      expect(statuses(revealFields(EVENT_ID, sealedData, [envelopes[0], envelopes[0]], allKeys).fields)).toEqual([
        ['/seizedFrom', 'revealed'],
        ['/seizedFrom', 'duplicate envelope'],
      ]);
    });
  });

  it('marks an erased field with its commitment and the tombstone, and reveals the others', () => {
    const { sealedData, envelopes } = sealFields(EVENT_ID, seizure, PATHS, keyOf);
    const tombstone: KeyTombstone = {
      keyId: witness1.keyId,
      seizureId: 'SZ-1',
      subject: witness1.subject,
      createdAt: '2024-04-19T05:30:00.000Z',
      destroyedAt: '2024-06-01T10:00:00.000Z',
      reason: 'erased',
    };
    const lookup: KeyLookup = (keyId) => (keyId === witness1.keyId ? { status: 'erased', tombstone } : allKeys(keyId));

    const revealed = revealFields(EVENT_ID, sealedData, envelopes, lookup);

    const commitment = (sealedData as { witnesses: { sealed: string }[] }).witnesses[0].sealed;
    expect(revealed.data).toEqual({
      ...seizure,
      witnesses: [{ erased: true, sealed: commitment, erasedAt: '2024-06-01T10:00:00.000Z' }, seizure.witnesses[1]],
    });
    expect(revealed.fields[1]).toEqual({ fieldPath: '/witnesses/0', status: 'erased', commitment, tombstone });
  });

  it('round-trips envelopes through their JSON form, and refuses malformed ones', () => {
    const { sealedData, envelopes } = sealFields(EVENT_ID, seizure, PATHS, keyOf);
    const text = serializeEnvelopes(envelopes);

    expect(keyIdsOf(parseEnvelopes(text))).toEqual([seizedFrom.keyId, witness1.keyId, witness2.keyId, freeText.keyId]);
    expect(revealFields(EVENT_ID, sealedData, parseEnvelopes(text), allKeys).data).toEqual(seizure);
    expect(() => parseEnvelopes('{}')).toThrow('envelopes must be a JSON array');
    expect(() => parseEnvelopes(JSON.stringify([{ ...envelopes[0], v: 2 }]))).toThrow('envelope version must be 1');
    expect(() => parseEnvelopes(JSON.stringify([{ ...envelopes[0], value: 'x' }]))).toThrow('unknown envelope field "value"');
    expect(() => parseEnvelopes(JSON.stringify([{ ...envelopes[0], nonce: 'AAAA' }]))).toThrow('envelope nonce must be 12 bytes');
    expect(() => parseEnvelopes(JSON.stringify([{ ...envelopes[0], tag: '***' }]))).toThrow('envelope tag must be standard base64');
  });

  it('round-trips arbitrary JSON values through seal, JSON envelopes and reveal', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.jsonValue(), { minKeys: 1 }), (data) => {
        const paths = Object.keys(data).map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        const { sealedData, envelopes } = sealFields(EVENT_ID, data as JsonValue, paths, () => freeText);
        const sealedFields = Object.values(sealedData as Record<string, JsonValue>);
        expect(sealedFields.every(isSealedValue)).toBe(true);

        const revealed = revealFields(
          EVENT_ID,
          JSON.parse(JSON.stringify(sealedData)) as JsonValue,
          parseEnvelopes(serializeEnvelopes(envelopes)),
          lookupOf(freeText),
        );

        expect(revealed.fields.every((f) => f.status === 'revealed')).toBe(true);
        expect(revealed.data).toEqual(JSON.parse(JSON.stringify(data)));
      }),
      { seed: fuzz.seed, numRuns: fuzz.count, verbose: fuzz.verbose },
    );
  });
});
