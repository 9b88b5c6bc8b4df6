import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import { recordSeizureCommand } from '../../../test/support/custody-fixtures';
import { RecordSeizureRequest, ValueItemsRequest } from '../../custody/http/seizure-command.dto';
import { installValidationMetadataCache } from './validation-metadata-cache';
import { passesAllRules } from './validity-precheck';

const STRICT: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: true } };
/** What Nest's ValidationPipe passes: it turns class-validator's forbidUnknownValues off. */
const AS_NEST: ValidatorOptions = { ...STRICT, forbidUnknownValues: false };
const OPTIONS = AS_NEST;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };

const REPLACEMENTS: unknown[] = [undefined, null, '', 'x', ' ', 'A'.repeat(70), 'a'.repeat(2001), 0, -1, 1.5, 2 ** 60, Number.NaN, true, [], {}, [{}], ['x'], '2024-02-30', 'UP', 'UP-VNS'];

/** Every path into a JSON value, containers included. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, i) => paths(item, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return here;
}

function changed(body: Json, path: Array<string | number>, change: (parent: Record<string | number, unknown>, key: string | number) => void): Json {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  change(parent, path[path.length - 1]);
  return copy as Json;
}

/** The body itself, and for every path: removed, replaced by each of REPLACEMENTS, and joined by an unknown sibling. */
function variants(body: Json): Json[] {
  const out: Json[] = [body];
  for (const path of paths(body)) {
    out.push(changed(body, path, (parent, key) => (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key])));
    for (const replacement of REPLACEMENTS) out.push(changed(body, path, (parent, key) => (parent[key] = replacement)));
    out.push(changed(body, path, (parent) => (Array.isArray(parent) ? parent.push('extra') : (parent.unknownField = 1))));
  }
  return out;
}

describe('passesAllRules (the pre-check before class-validator)', () => {
  beforeAll(() => installValidationMetadataCache());

  it.each([
    ['RecordSeizureRequest', RecordSeizureRequest, recordSeizureCommand().data as unknown as Json],
    ['RecordSeizureRequest without optional parts', RecordSeizureRequest, { ...(recordSeizureCommand().data as unknown as Record<string, Json>), magistrate: undefined, vehicleNumber: undefined }],
    ['ValueItemsRequest', ValueItemsRequest, { valuations: [{ itemId: 'item-1', valuePaise: 100 }], basis: 'list', reason: 'official' }],
  ])('agrees with class-validator on a valid %s and on every variant of it', (_name, cls, body) => {
    let valid = 0;
    const all = variants(body);
    for (const [variant, options] of all.flatMap((v) => [[v, AS_NEST], [v, STRICT]] as const)) {
      const instance = plainToInstance(cls as new () => object, structuredClone(variant));
      const expected = validateSync(instance, options).length === 0;
      const quick = passesAllRules(instance, options);
      if (quick !== expected) throw new Error(`pre-check ${quick} but class-validator ${expected} for ${JSON.stringify(variant)}`);
      if (expected) valid++;
    }
    // The variants really exercise both answers.
    expect(valid).toBeGreaterThan(0);
    expect(valid).toBeLessThan(all.length * 2);
    expect(passesAllRules(plainToInstance(cls as new () => object, structuredClone(body)), OPTIONS)).toBe(true);
  });

  it('leaves options it does not model to class-validator', () => {
    const instance = plainToInstance(RecordSeizureRequest, recordSeizureCommand().data);
    expect(passesAllRules(instance, OPTIONS)).toBe(true);
    expect(passesAllRules(instance, { ...OPTIONS, groups: ['g'] })).toBe(false);
    expect(passesAllRules(instance, { ...OPTIONS, forbidNonWhitelisted: false })).toBe(false);
    expect(passesAllRules(instance, { ...OPTIONS, skipMissingProperties: true })).toBe(false);
  });

  it('treats an object of a class without rules as class-validator does, with and without forbidUnknownValues', () => {
    for (const options of [STRICT, AS_NEST]) {
      for (const object of [{ anything: 1 }, {}]) {
        expect(passesAllRules(object, options)).toBe(validateSync(object, options).length === 0);
      }
    }
    expect(passesAllRules({}, AS_NEST)).toBe(true);
  });
});
