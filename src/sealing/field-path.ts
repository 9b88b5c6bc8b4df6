import type { JsonValue } from '../shared/json';

/**
 * Field paths are RFC 6901 JSON Pointers into an event's `data`: `/seizedFrom`, `/witnesses/0`,
 * `/releaseTo/name` (`~1` for a `/` inside a key, `~0` for a `~`). The empty pointer (the whole of
 * `data`) is not a field and is refused.
 */
export class FieldPathError extends Error {
  override readonly name = 'FieldPathError';
}

const MAX_PATH_LENGTH = 512;
const ARRAY_INDEX = /^(0|[1-9][0-9]{0,8})$/;

export function parseFieldPath(path: string): string[] {
  if (typeof path !== 'string' || !path.startsWith('/') || path.length > MAX_PATH_LENGTH) {
    throw new FieldPathError(`a field path is a JSON Pointer such as "/seizedFrom" of at most ${MAX_PATH_LENGTH} characters`);
  }
  return path
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new FieldPathError(`${JSON.stringify(path)}: "~" must be followed by 0 or 1`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

type Container = JsonValue[] | { [key: string]: JsonValue };

function childOf(parent: JsonValue | undefined, token: string): JsonValue | undefined {
  if (Array.isArray(parent)) return ARRAY_INDEX.test(token) ? parent[Number(token)] : undefined;
  if (typeof parent === 'object' && parent !== null && Object.prototype.hasOwnProperty.call(parent, token)) return parent[token];
  return undefined;
}

/**
 * A deep copy of JSON data. Not structuredClone: its objects may come from another realm (a test
 * runner's), which the store's JSON check rejects. Object.fromEntries keeps a "__proto__" key a field.
 */
export function cloneJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneJson(v)]));
  return value;
}

/** The value at `path`, or undefined when there is none. */
export function valueAt(data: JsonValue, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = data;
  for (const token of parseFieldPath(path)) current = childOf(current, token);
  return current;
}

/** Replaces the existing value at `path` in place. Throws FieldPathError when there is none. */
export function replaceAt(data: JsonValue, path: string, value: JsonValue): void {
  const tokens = parseFieldPath(path);
  const last = tokens[tokens.length - 1];
  let parent: JsonValue | undefined = data;
  for (const token of tokens.slice(0, -1)) parent = childOf(parent, token);
  if (childOf(parent, last) === undefined) throw new FieldPathError(`${JSON.stringify(path)} names no value in the event data`);
  if (Array.isArray(parent)) parent[Number(last)] = value;
  // The key is an own property (checked above), so this writes it even when it is "__proto__".
  else (parent as Exclude<Container, JsonValue[]>)[last] = value;
}

/** Throws FieldPathError when a path repeats or lies inside another: each value is sealed once, whole. */
export function checkDisjoint(paths: readonly string[]): void {
  const parsed = paths.map((path) => ({ path, tokens: parseFieldPath(path) }));
  for (const a of parsed) {
    for (const b of parsed) {
      if (a === b || a.tokens.length > b.tokens.length) continue;
      if (a.tokens.every((token, i) => token === b.tokens[i])) {
        throw new FieldPathError(
          a.path === b.path
            ? `${JSON.stringify(a.path)} is named twice`
            : `${JSON.stringify(b.path)} lies inside ${JSON.stringify(a.path)}`,
        );
      }
    }
  }
}
