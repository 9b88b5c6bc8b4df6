import { BAD_CHARACTERS, LONG_STRING, NON_NFC, UNKNOWN_KEYS, type Expectation, type MutationClass } from './body-mutations';

/**
 * Mutations of an attachment upload's query string (`fileName`, `description`): the upload's
 * fields live there, its body being the file itself. Parameters are kept as ordered pairs and
 * encoded by hand, so a case can repeat a parameter or send bytes a URL builder would refuse.
 */

export interface QueryMutationSpec {
  target: 'query';
  class: MutationClass;
  name: string;
  /** The parameter mutated; the refusal must name it. */
  field: string;
  expect: Expectation;
  apply(query: ReadonlyArray<[string, string]>): string;
}

/** `fileName=a&description=b`, each part percent-encoded as UTF-8. */
export const encodeQuery = (pairs: ReadonlyArray<[string, string]>): string =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

const middle = (value: string, insert: string) => {
  const chars = [...value];
  const at = Math.max(1, Math.floor(chars.length / 2));
  return `${chars.slice(0, at).join('')}${insert}${chars.slice(at).join('')}`;
};

/** The query with one parameter's value changed (or the parameter dropped, when `to` is null). */
const withValue = (query: ReadonlyArray<[string, string]>, name: string, to: (value: string) => string | null) =>
  encodeQuery(query.flatMap(([k, v]): Array<[string, string]> => (k !== name ? [[k, v]] : to(v) === null ? [] : [[k, to(v) as string]])));

/** The query with one parameter replaced by raw (already encoded) text. */
const withRaw = (query: ReadonlyArray<[string, string]>, name: string, raw: (value: string) => string) =>
  query.map(([k, v]) => (k === name ? raw(v) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&');

export function queryMutationSpecs(query: ReadonlyArray<[string, string]>, optionalFields: readonly string[]): QueryMutationSpec[] {
  const specs: QueryMutationSpec[] = [];
  for (const [name] of query) {
    const optional = optionalFields.includes(name);
    const spec = (cls: MutationClass, label: string, expect: Expectation, apply: QueryMutationSpec['apply']) =>
      specs.push({ target: 'query', class: cls, name: label, field: name, expect, apply });
    spec('drop', 'drop', optional ? 'may-accept' : 'refuse', (q) => withValue(q, name, () => null));
    spec('retype', 'retype:empty-string', optional ? 'may-accept' : 'refuse', (q) => withValue(q, name, () => ''));
    spec('retype', 'retype:long-string', 'refuse', (q) => withValue(q, name, () => LONG_STRING.slice(0, 4000)));
    spec('retype', 'retype:array', 'refuse', (q) => withRaw(q, name, (v) => `${name}[]=${encodeURIComponent(v)}`));
    spec('retype', 'retype:object', 'refuse', (q) => withRaw(q, name, (v) => `${name}[a]=${encodeURIComponent(v)}`));
    spec('duplicate-key', 'duplicate-key:other-first', 'refuse', (q) =>
      withRaw(q, name, (v) => `${name}=other&${name}=${encodeURIComponent(v)}`),
    );
    spec('duplicate-key', 'duplicate-key:other-last', 'refuse', (q) =>
      withRaw(q, name, (v) => `${name}=${encodeURIComponent(v)}&${name}=other`),
    );
    for (const character of BAD_CHARACTERS) {
      if (character.rawEscape) {
        // A lone surrogate has no UTF-8 form: sent as its would-be (invalid) bytes, which a query parser may keep as literal text.
        const bytes = character.name.includes('high') ? '%ED%A0%80' : '%ED%B0%80';
        spec('bad-string', `bad-string:${character.name}`, 'may-accept', (q) =>
          withRaw(q, name, (v) => `${name}=${encodeURIComponent(v.slice(0, 2))}${bytes}${encodeURIComponent(v.slice(2))}`),
        );
      } else {
        spec('bad-string', `bad-string:${character.name}`, character.refusedEverywhere ? 'refuse' : 'may-accept', (q) =>
          withValue(q, name, (v) => middle(v, character.text)),
        );
      }
    }
    spec('non-nfc', 'non-nfc', 'nfc', (q) => withValue(q, name, (v) => middle(v, NON_NFC)));
  }
  for (const key of UNKNOWN_KEYS) {
    // The query parser drops __proto__ itself (never reaching the handler): harmless either way.
    const expect: Expectation = key === '__proto__' ? 'may-accept' : 'refuse';
    specs.push({
      target: 'query',
      class: 'unknown-key',
      name: `unknown-key:${key}`,
      field: key,
      expect,
      apply: (q) => `${encodeQuery(q)}&${key}[polluted]=yes`,
    });
  }
  return specs;
}
