/**
 * A JSON document kept as a tree of raw text, so a fuzz case can write what JSON.stringify never
 * does: the same key twice in one object, and escapes such as a lone surrogate (`\ud800`), which a
 * JS string cannot carry through UTF-8 encoding but JSON text can spell out.
 */
export type RawJson =
  | { kind: 'object'; entries: Array<[key: string, value: RawJson]> }
  | { kind: 'array'; items: RawJson[] }
  /** Already valid JSON text for one value: a number, a string with its quotes, true, null. */
  | { kind: 'literal'; text: string };

export const rawLiteral = (text: string): RawJson => ({ kind: 'literal', text });

/** A plain JSON value as a raw tree. */
export function toRawJson(value: unknown): RawJson {
  if (Array.isArray(value)) return { kind: 'array', items: value.map(toRawJson) };
  if (value !== null && typeof value === 'object') {
    return { kind: 'object', entries: Object.entries(value).map(([k, v]): [string, RawJson] => [k, toRawJson(v)]) };
  }
  return rawLiteral(JSON.stringify(value ?? null));
}

/** The JSON text of a raw tree, keys in the order (and multiplicity) they were given. */
export function writeRawJson(node: RawJson): string {
  switch (node.kind) {
    case 'literal':
      return node.text;
    case 'array':
      return `[${node.items.map(writeRawJson).join(',')}]`;
    case 'object':
      return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${writeRawJson(v)}`).join(',')}}`;
  }
}

/**
 * A JSON string literal holding `before`, then `rawEscape` written verbatim (e.g. `\\ud800`), then
 * `after`. Used for lone surrogates, which only exist as escapes in the body's text.
 */
export function stringWithRawEscape(before: string, rawEscape: string, after: string): RawJson {
  const quoted = (s: string) => JSON.stringify(s).slice(1, -1);
  return rawLiteral(`"${quoted(before)}${rawEscape}${quoted(after)}"`);
}

/** One step of a path into a body: an object key or an array index. */
export type PathStep = string | number;

/** `items[0].quantity` for ['items', 0, 'quantity'], as the API's `errors[].field` writes paths. */
export function formatPath(path: readonly PathStep[]): string {
  return path.reduce<string>((out, step) => (typeof step === 'number' ? `${out}[${step}]` : out === '' ? step : `${out}.${step}`), '');
}

/** Every path in the tree to a value (objects' keys and arrays' elements, nested), parents first. */
export function valuePaths(node: RawJson, prefix: PathStep[] = []): PathStep[][] {
  const children: Array<[PathStep, RawJson]> =
    node.kind === 'object' ? node.entries : node.kind === 'array' ? node.items.map((item, i): [PathStep, RawJson] => [i, item]) : [];
  return children.flatMap(([step, child]) => [[...prefix, step], ...valuePaths(child, [...prefix, step])]);
}

/** The node at `path`, or undefined. */
export function nodeAt(node: RawJson, path: readonly PathStep[]): RawJson | undefined {
  let current: RawJson | undefined = node;
  for (const step of path) {
    if (current?.kind === 'object') current = current.entries.find(([k]) => k === step)?.[1];
    else if (current?.kind === 'array' && typeof step === 'number') current = current.items[step];
    else return undefined;
  }
  return current;
}

/**
 * A copy of the tree with the value at `path` handed to `change`, which returns the entries that
 * take its place in the parent: none (dropped), one (replaced), or, in an object, several (a key
 * repeated). Array elements take the values only.
 */
export function rewriteAt(
  node: RawJson,
  path: readonly PathStep[],
  change: (value: RawJson, key: PathStep) => Array<[string, RawJson]>,
): RawJson {
  const [step, ...rest] = path;
  if (node.kind === 'object') {
    return {
      kind: 'object',
      entries: node.entries.flatMap(([k, v]): Array<[string, RawJson]> => {
        if (k !== step) return [[k, v]];
        return rest.length === 0 ? change(v, k) : [[k, rewriteAt(v, rest, change)]];
      }),
    };
  }
  if (node.kind === 'array') {
    return {
      kind: 'array',
      items: node.items.flatMap((v, i) => {
        if (i !== step) return [v];
        return rest.length === 0 ? change(v, i).map(([, value]) => value) : [rewriteAt(v, rest, change)];
      }),
    };
  }
  throw new Error(`no value at ${formatPath(path)}`);
}

/** A copy of the tree with extra entries added to the object at `path` ([] for the top level). */
export function addEntries(node: RawJson, path: readonly PathStep[], extra: Array<[string, RawJson]>): RawJson {
  if (path.length === 0) {
    if (node.kind !== 'object') throw new Error('entries can only be added to an object');
    return { kind: 'object', entries: [...node.entries, ...extra] };
  }
  return rewriteAt(node, path, (value, key) => [[String(key), addEntries(value, [], extra)]]);
}
