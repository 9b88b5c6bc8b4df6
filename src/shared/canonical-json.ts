/**
 * RFC 8785 (JSON Canonicalization Scheme) for plain JSON values, with no dependency, so that the
 * evidence verifier runs unchanged in Node, the CLI and a browser.
 *
 * - object keys sorted by UTF-16 code units (the default `Array.prototype.sort` order), no spaces;
 * - numbers in ECMAScript form (`JSON.stringify` of a finite number is exactly that); NaN and
 *   ±Infinity are rejected, -0 is written 0;
 * - strings as `JSON.stringify` writes them.
 *
 * Only JSON data is accepted: null, booleans, finite numbers, strings, arrays and plain objects.
 * Anything else (undefined, functions, bigint, symbols, Dates, class instances) throws a TypeError
 * rather than being silently dropped, because a verifier must never hash something other than
 * what it was given.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$', 0);
}

const MAX_DEPTH = 1000;

function encode(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError(`${path}: nested deeper than ${MAX_DEPTH} levels`);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${String(value)} has no JSON form`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => encode(item, `${path}[${i}]`, depth + 1)).join(',')}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`${path}: not a plain JSON object`);
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(record[k], `${path}.${k}`, depth + 1)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`${path}: a ${typeof value} has no JSON form`);
  }
}

/** UTF-8 bytes of a string (TextEncoder exists in Node ≥ 11 and every browser). */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
