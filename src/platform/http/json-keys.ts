import type { IncomingMessage } from 'node:http';
import { visit, type JSONPath } from 'jsonc-parser';

/**
 * A signed record must mean exactly one thing. JSON.parse keeps the last of two equal keys, so
 * `{"amountPaise": 1, "amountPaise": 100000}` could be read one way by us and another way by a
 * proxy, a log or a court's expert. Keys that name JavaScript's object machinery are refused too,
 * before anything can copy them onto an object.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface KeyProblem {
  /** Path of the offending key, as in validation errors: `items[0].quantity`. */
  field: string;
  reason: string;
}

export function formatJsonPath(path: JSONPath): string {
  return path.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text === '' ? segment : `${text}.${segment}`),
    '',
  );
}

/** The first duplicate or reserved key in JSON `text`, or undefined. Syntax errors are left to the parser. */
export function findKeyProblem(text: string): KeyProblem | undefined {
  try {
    return scanKeys(text);
  } catch (error) {
    // Nesting deep enough to exhaust the stack: the depth limit behind the parser refuses it.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function scanKeys(text: string): KeyProblem | undefined {
  const open: Array<Set<string>> = [];
  let problem: KeyProblem | undefined;
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (key, _offset, _length, _line, _column, pathSupplier) => {
        if (problem !== undefined) return;
        const keys = open[open.length - 1];
        const field = formatJsonPath([...pathSupplier(), key]);
        if (RESERVED_KEYS.has(key)) problem = { field, reason: `"${key}" is not a field of this request` };
        else if (keys?.has(key)) problem = { field, reason: `${key} appears twice in the same object; send each field once` };
        else keys?.add(key);
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return problem;
}

/** An error body-parser passes on with its status and type, like its own errors. */
export class JsonKeyError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'entity.key.refused';

  constructor(readonly problem: KeyProblem) {
    super(`${problem.field} ${problem.reason}`);
  }
}

/** body-parser's `verify` hook: runs on the decoded bytes before JSON.parse. */
export function refuseDuplicateAndReservedKeys(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string): void {
  const problem = findKeyProblem(body.toString((encoding as BufferEncoding) || 'utf8'));
  if (problem !== undefined) throw new JsonKeyError(problem);
}
