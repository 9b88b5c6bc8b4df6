import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The request header (lower case, as Node exposes it) that makes a POST safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Printable ASCII, space included: what a structured-field string may hold (RFC 8941 §3.3.3). */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

export type IdempotencyKeyHeader = { kind: 'absent' } | { kind: 'valid'; key: string } | { kind: 'invalid'; reason: string };

/**
 * Reads the Idempotency-Key from Node's `headersDistinct` values. Node joins repeated headers
 * with ", ", which would turn two keys into one plausible-looking key, so repeats are refused.
 */
export function parseIdempotencyKey(values: readonly string[] | undefined): IdempotencyKeyHeader {
  if (values === undefined || values.length === 0) return { kind: 'absent' };
  if (values.length > 1) return { kind: 'invalid', reason: 'send exactly one Idempotency-Key header' };
  const key = values[0];
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !PRINTABLE_ASCII.test(key)) {
    return {
      kind: 'invalid',
      reason: `an Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`,
    };
  }
  return { kind: 'valid', key };
}

type Task = { emit: string } | { value: unknown };

/**
 * Canonical JSON of a parsed request body: object keys sorted by UTF-16 code units, no
 * whitespace, numbers in ECMAScript form (as RFC 8785), so `{"a":1,"b":2}` and `{"b":2, "a":1}`
 * are the same request. Non-finite numbers (JSON.parse turns 1e400 into Infinity) are written
 * bare, which no JSON text can collide with. Uses an explicit stack: bodies come from clients.
 */
export function canonicalJson(root: unknown): string {
  const out: string[] = [];
  const stack: Task[] = [{ value: root }];
  const pushInOrder = (tasks: Task[]): void => {
    for (let i = tasks.length - 1; i >= 0; i--) stack.push(tasks[i]);
  };
  for (let task = stack.pop(); task !== undefined; task = stack.pop()) {
    if ('emit' in task) {
      out.push(task.emit);
      continue;
    }
    const value = task.value;
    if (Array.isArray(value)) {
      const tasks: Task[] = [{ emit: '[' }];
      value.forEach((item: unknown, index) => {
        if (index > 0) tasks.push({ emit: ',' });
        tasks.push({ value: item === undefined ? null : item });
      });
      tasks.push({ emit: ']' });
      pushInOrder(tasks);
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      const tasks: Task[] = [{ emit: '{' }];
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      keys.forEach((key, index) => {
        tasks.push({ emit: `${index > 0 ? ',' : ''}${JSON.stringify(key)}:` }, { value: record[key] });
      });
      tasks.push({ emit: '}' });
      pushInOrder(tasks);
    } else if (typeof value === 'number' && !Number.isFinite(value)) {
      out.push(String(value));
    } else {
      // Strings, finite numbers, booleans, null; anything else cannot come out of JSON.parse.
      out.push(JSON.stringify(value) ?? 'null');
    }
  }
  return out.join('');
}

export interface FingerprintedRequest {
  method: string;
  /** Path and query string, as requested. */
  target: string;
  /** The parsed body (JSON, or bytes from a raw parser); undefined when nothing parsed it. */
  body: unknown;
  headers: IncomingHttpHeaders;
}

/**
 * SHA-256 (hex) of the request's method, target and body: "is this the same request?". A JSON
 * body counts by its canonical form. A body left for the handler to stream (an upload) cannot
 * be read here, so it counts by the headers that describe it: its type, length and, when the
 * client sends one, its Content-Digest (RFC 9530). Never stored as is: see keyedFingerprint.
 */
export function requestDigest(request: FingerprintedRequest): string {
  return createHash('sha256').update(`${request.method.toUpperCase()} ${request.target}\n`).update(bodyDescription(request)).digest('hex');
}

function bodyDescription({ body, headers }: FingerprintedRequest): string {
  if (Buffer.isBuffer(body)) return `bytes:${createHash('sha256').update(body).digest('hex')}`;
  if (body !== undefined) return `json:${canonicalJson(body)}`;
  const hasBody = headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
  if (!hasBody) return '';
  const described = [headers['content-type'], headers['content-length'], headers['content-digest']];
  return `stream:${JSON.stringify(described.map((value) => value ?? null))}`;
}
