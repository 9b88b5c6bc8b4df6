import {
  addEntries,
  formatPath,
  nodeAt,
  rawLiteral,
  rewriteAt,
  stringWithRawEscape,
  toRawJson,
  valuePaths,
  writeRawJson,
  type PathStep,
  type RawJson,
} from './raw-json';

/**
 * Mutations of one valid request body, and what the API must answer to each. A mutation is a
 * spec (what to do where), applied to whichever valid body is current: the ids in valid bodies
 * change each time the fuzzer prepares a new one, their shape does not.
 */

export type MutationClass = 'drop' | 'null' | 'retype' | 'duplicate-key' | 'bad-string' | 'non-nfc' | 'unknown-key' | 'whole-body';

/**
 * refuse: any 4xx, nothing appended (a 400 must name the field) · may-accept: refused as above,
 * or accepted with the projector caught up · nfc: as may-accept, the stored text must be NFC, and
 * a validation 400 naming the field is wrong (text is normalised, not refused) · nfc-or-refuse:
 * as may-accept, and stored NFC if accepted.
 */
export type Expectation = 'refuse' | 'may-accept' | 'nfc' | 'nfc-or-refuse';

export interface BadCharacter {
  name: string;
  /** The character itself, or for lone surrogates the JSON escape that spells it. */
  text: string;
  rawEscape: boolean;
  /** Refused in every string (true), or only in identifiers and codes (false). */
  refusedEverywhere: boolean;
}

const bad = (name: string, text: string, refusedEverywhere = true, rawEscape = false): BadCharacter => ({
  name,
  text,
  rawEscape,
  refusedEverywhere,
});

export const BAD_CHARACTERS: readonly BadCharacter[] = [
  bad('NUL', '\u0000'),
  bad('BEL', '\u0007'),
  bad('ESC', '\u001b'),
  bad('DEL', '\u007f'),
  bad('NEL(C1)', '\u0085'),
  bad('lone-high-surrogate', '\\ud800', true, true),
  bad('lone-low-surrogate', '\\udc00', true, true),
  ...['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069'].map((hex) =>
    bad(`bidi-U+${hex}`, String.fromCharCode(parseInt(hex, 16))),
  ),
  // Zero-width joiners are part of written Hindi; only identifiers and codes must refuse them.
  ...['200B', '200C', '200D', 'FEFF'].map((hex) => bad(`zero-width-U+${hex}`, String.fromCharCode(parseInt(hex, 16)), false)),
];

/** 'e' + COMBINING ACUTE ACCENT: canonically equal to U+00E9, but not NFC. */
export const NON_NFC = 'e\u0301';
export const NFC_OF_NON_NFC = NON_NFC.normalize('NFC');

/** Keys whose values are identifiers, codes, enums, dates or other patterns (by the last key; array elements by their array). */
const CODE_KEYS = new Set([
  'seizureId',
  'memoNumber',
  'transferId',
  'itemId',
  'itemIds',
  'sealNumbers',
  'challanNumber',
  'orderNumber',
  'referenceNumber',
  'clearanceNumber',
  'firNumber',
  'number',
  'id',
  'vehicleNumber',
  'phone',
  'sha256',
  'state',
  'district',
  'correctsEventId',
]);
const PATTERNED_KEYS = new Set([
  ...CODE_KEYS,
  'kind',
  'category',
  'unit',
  'condition',
  'method',
  'agency',
  'seizedAt',
  'pollDate',
  'depositedOn',
  'registeredOn',
  'orderedOn',
  'type',
]);
/** Free text and names: a non-NFC spelling of them is normalised, never refused as invalid. */
const TEXT_KEYS = new Set([
  'place',
  'team',
  'name',
  'designation',
  'address',
  'description',
  'basis',
  'reason',
  'remarks',
  'reasons',
  'office',
  'policeStation',
  'whatWasWrong',
  'correction',
  'fileName',
]);
/** Strings that may be empty. */
const MAY_BE_EMPTY = new Set(['remarks', 'description']);

export const UNKNOWN_KEYS = ['__proto__', 'constructor', 'prototype', 'unexpectedField'] as const;
export const LONG_STRING = 'L'.repeat(20_000);

export type FieldOp =
  | { op: 'drop' }
  | { op: 'null' }
  | { op: 'retype'; to: 'number' | 'string' | 'boolean' | 'array' | 'object' | 'empty-object' | 'empty-string' | 'long-string' }
  | { op: 'duplicate-key'; otherFirst: boolean }
  | { op: 'bad-string'; character: BadCharacter }
  | { op: 'non-nfc' }
  | { op: 'unknown-key'; key: string };

export interface FieldMutationSpec {
  target: 'field';
  class: MutationClass;
  /** e.g. 'retype:number' or 'bad-string:NUL'. */
  name: string;
  path: PathStep[];
  op: FieldOp;
  /** The field the refusal must name, and (for array elements) the array that may be named instead. */
  field: string;
  alsoNamed?: string;
  expect: Expectation;
}

export interface WholeBodySpec {
  target: 'body';
  class: 'whole-body';
  name: string;
  field: '';
  expect: Expectation;
}

export type MutationSpec = FieldMutationSpec | WholeBodySpec;

type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

function kindOf(node: RawJson): JsonKind {
  if (node.kind !== 'literal') return node.kind;
  const value: unknown = JSON.parse(node.text);
  return value === null ? 'null' : (typeof value as JsonKind);
}

/** The key that names a value: its own, or for an array element its array's. */
function governingKey(path: readonly PathStep[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string;
  return '';
}

const RETYPES: Record<JsonKind, Array<Extract<FieldOp, { op: 'retype' }>['to']>> = {
  string: ['number', 'boolean', 'array', 'object', 'empty-object', 'empty-string', 'long-string'],
  number: ['string', 'boolean', 'array', 'object', 'empty-object', 'empty-string', 'long-string'],
  boolean: ['number', 'string', 'array', 'object', 'empty-object', 'empty-string', 'long-string'],
  object: ['number', 'string', 'boolean', 'array', 'empty-object', 'empty-string', 'long-string'],
  array: ['number', 'string', 'boolean', 'object', 'empty-object', 'empty-string', 'long-string'],
  null: ['number', 'string', 'boolean', 'array', 'object'],
};

/** Every mutation of every field of this body, and of the body's objects by unknown keys. */
export function fieldMutationSpecs(body: object, optionalFields: readonly string[]): FieldMutationSpec[] {
  const root = toRawJson(body);
  const optional = new Set(optionalFields);
  const specs: FieldMutationSpec[] = [];
  const objectPaths: PathStep[][] = [[]];
  for (const path of valuePaths(root)) {
    const node = nodeAt(root, path) as RawJson;
    const kind = kindOf(node);
    const field = formatPath(path);
    const isElement = typeof path[path.length - 1] === 'number';
    const parent = formatPath(path.slice(0, -1));
    const key = governingKey(path);
    const spec = (cls: MutationClass, name: string, op: FieldOp, expect: Expectation): FieldMutationSpec => ({
      target: 'field',
      class: cls,
      name,
      path,
      op,
      field,
      ...(isElement && { alsoNamed: parent }),
      expect,
    });
    if (kind === 'object') objectPaths.push(path);

    // Leaving out an array element leaves a shorter array, which may well be valid; if not, the array is at fault.
    const drop = spec('drop', 'drop', { op: 'drop' }, isElement || optional.has(field) ? 'may-accept' : 'refuse');
    specs.push(isElement ? { ...drop, field: parent } : drop);
    specs.push(spec('null', 'null', { op: 'null' }, optional.has(field) ? 'may-accept' : 'refuse'));
    for (const to of RETYPES[kind]) {
      const mayBeEmpty = to === 'empty-string' && kind === 'string' && MAY_BE_EMPTY.has(key);
      specs.push(spec('retype', `retype:${to}`, { op: 'retype', to }, mayBeEmpty ? 'may-accept' : 'refuse'));
    }
    if (!isElement) {
      specs.push(spec('duplicate-key', 'duplicate-key:other-first', { op: 'duplicate-key', otherFirst: true }, 'refuse'));
      specs.push(spec('duplicate-key', 'duplicate-key:other-last', { op: 'duplicate-key', otherFirst: false }, 'refuse'));
    }
    if (kind === 'string') {
      const code = CODE_KEYS.has(key) || PATTERNED_KEYS.has(key);
      for (const character of BAD_CHARACTERS) {
        const expect = character.refusedEverywhere || code ? 'refuse' : 'may-accept';
        specs.push(spec('bad-string', `bad-string:${character.name}`, { op: 'bad-string', character }, expect));
      }
      specs.push(spec('non-nfc', 'non-nfc', { op: 'non-nfc' }, TEXT_KEYS.has(key) && !PATTERNED_KEYS.has(key) ? 'nfc' : 'nfc-or-refuse'));
    }
  }
  for (const path of objectPaths) {
    for (const key of UNKNOWN_KEYS) {
      const field = formatPath([...path, key]);
      specs.push({
        target: 'field',
        class: 'unknown-key',
        name: `unknown-key:${key}`,
        path,
        op: { op: 'unknown-key', key },
        field,
        expect: 'refuse',
      });
    }
  }
  return specs;
}

/** A value of the same JSON type as `node` but different from it, for a repeated key. */
function differingValue(node: RawJson): RawJson {
  const kind = kindOf(node);
  if (kind === 'string') return rawLiteral(JSON.stringify(`${JSON.parse((node as { text: string }).text) as string}-other`));
  if (kind === 'number') return rawLiteral(String((JSON.parse((node as { text: string }).text) as number) + 1));
  if (kind === 'boolean') return rawLiteral(String(!(JSON.parse((node as { text: string }).text) as boolean)));
  if (kind === 'array') return { kind: 'array', items: [] };
  if (kind === 'object') return { kind: 'object', entries: [] };
  return rawLiteral('"other"');
}

function retyped(node: RawJson, to: Extract<FieldOp, { op: 'retype' }>['to']): RawJson {
  const plain: unknown = JSON.parse(writeRawJson(node));
  switch (to) {
    case 'number':
      return rawLiteral(typeof plain === 'string' && /^\d+$/.test(plain) ? plain : '12345');
    case 'string':
      return rawLiteral(
        JSON.stringify(typeof plain === 'object' || plain === undefined ? 'text' : `${plain as string | number | boolean}`),
      );
    case 'boolean':
      return rawLiteral('true');
    case 'array':
      return { kind: 'array', items: [node] };
    case 'object':
      return { kind: 'object', entries: [['value', node]] };
    case 'empty-object':
      return { kind: 'object', entries: [] };
    case 'empty-string':
      return rawLiteral('""');
    case 'long-string':
      return rawLiteral(JSON.stringify(LONG_STRING));
  }
}

/** `value` with `insert` in its middle (so length and prefix rules still hold as far as they can). */
function splitAtMiddle(value: string): [string, string] {
  const chars = [...value];
  const middle = Math.max(1, Math.floor(chars.length / 2));
  return [chars.slice(0, middle).join(''), chars.slice(middle).join('')];
}

function withInserted(node: RawJson, character: BadCharacter | { text: string; rawEscape: false }): RawJson {
  const [before, after] = splitAtMiddle(JSON.parse(writeRawJson(node)) as string);
  return character.rawEscape
    ? stringWithRawEscape(before, character.text, after)
    : rawLiteral(JSON.stringify(`${before}${character.text}${after}`));
}

/** The body text of a valid body with one field mutated. */
export function applyFieldMutation(body: object, spec: FieldMutationSpec): string {
  const root = toRawJson(body);
  const op = spec.op;
  const key = String(spec.path[spec.path.length - 1] ?? '');
  switch (op.op) {
    case 'drop':
      return writeRawJson(rewriteAt(root, spec.path, () => []));
    case 'null':
      return writeRawJson(rewriteAt(root, spec.path, () => [[key, rawLiteral('null')]]));
    case 'retype':
      return writeRawJson(rewriteAt(root, spec.path, (v) => [[key, retyped(v, op.to)]]));
    case 'duplicate-key':
      return writeRawJson(
        rewriteAt(root, spec.path, (v) =>
          op.otherFirst
            ? [
                [key, differingValue(v)],
                [key, v],
              ]
            : [
                [key, v],
                [key, differingValue(v)],
              ],
        ),
      );
    case 'bad-string':
      return writeRawJson(rewriteAt(root, spec.path, (v) => [[key, withInserted(v, op.character)]]));
    case 'non-nfc':
      return writeRawJson(rewriteAt(root, spec.path, (v) => [[key, withInserted(v, { text: NON_NFC, rawEscape: false })]]));
    case 'unknown-key': {
      const value = op.key === '__proto__' ? toRawJson({ polluted: 'yes', isAdmin: true }) : rawLiteral('"x"');
      return writeRawJson(addEntries(root, spec.path, [[op.key, value]]));
    }
  }
}

/** A request as sent: headers beyond authorisation, and the raw bytes. */
export interface WholeBodyRequest {
  contentType: string;
  contentEncoding?: string;
  bytes: Buffer;
}

/** Whole-body mutations of a JSON command: what to send, by name. */
export function jsonWholeBodyMutations(validText: string): Array<{ spec: WholeBodySpec; request: WholeBodyRequest }> {
  const jsonRequest = (bytes: Buffer | string, contentEncoding?: string): WholeBodyRequest => ({
    contentType: 'application/json',
    bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'),
    ...(contentEncoding !== undefined && { contentEncoding }),
  });
  const cases: Array<[string, WholeBodyRequest]> = [
    ['malformed:truncated', jsonRequest(validText.slice(0, Math.floor(validText.length / 2)))],
    ['malformed:trailing-comma', jsonRequest(`${validText.slice(0, -1)},}`)],
    ['malformed:single-quotes', jsonRequest(validText.replace(/"/g, "'"))],
    ['malformed:NaN', jsonRequest(validText.replace(/:\s*(\d+)/, ':NaN'))],
    ['malformed:two-documents', jsonRequest(`${validText}${validText}`)],
    ['malformed:bare-string', jsonRequest('"seizure"')],
    ['not-an-object:array', jsonRequest(`[${validText}]`)],
    ['not-an-object:null', jsonRequest('null')],
    ['content-type:text/plain', { contentType: 'text/plain', bytes: Buffer.from(validText) }],
    ['content-type:form', { contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from('a=1') }],
    [
      'content-type:multipart',
      {
        contentType: 'multipart/form-data; boundary=x',
        bytes: Buffer.from(`--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--`),
      },
    ],
    ['content-encoding:gzip-not-gzip', jsonRequest(validText, 'gzip')],
    ['content-encoding:br-garbage', jsonRequest(Buffer.from([0xff, 0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef]), 'br')],
    ['content-encoding:unknown', jsonRequest(validText, 'x-fuzz')],
    ['empty-body', jsonRequest('')],
  ];
  return cases.map(([name, request]) => ({ spec: { target: 'body', class: 'whole-body', name, field: '', expect: 'refuse' }, request }));
}

/** Whole-body mutations of an attachment upload (its bytes are the content, not JSON). */
export function attachmentWholeBodyMutations(bytes: Buffer): Array<{ spec: WholeBodySpec; request: WholeBodyRequest }> {
  const cases: Array<[string, WholeBodyRequest, Expectation]> = [
    ['content-type:text/plain', { contentType: 'text/plain', bytes }, 'refuse'],
    ['content-type:json', { contentType: 'application/json', bytes: Buffer.from('{"fileName":"x"}') }, 'refuse'],
    ['content-encoding:gzip-not-gzip', { contentType: 'image/png', contentEncoding: 'gzip', bytes }, 'refuse'],
    ['content-encoding:br-garbage', { contentType: 'image/png', contentEncoding: 'br', bytes }, 'refuse'],
    ['content-encoding:unknown', { contentType: 'image/png', contentEncoding: 'x-fuzz', bytes }, 'refuse'],
    // Whether an empty file may be attached is not settled: either answer, but never a 5xx.
    ['empty-body', { contentType: 'image/png', bytes: Buffer.alloc(0) }, 'may-accept'],
  ];
  return cases.map(([name, request, expect]) => ({ spec: { target: 'body', class: 'whole-body', name, field: '', expect }, request }));
}
