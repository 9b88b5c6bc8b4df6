import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { JsonObject, JsonValue } from '../shared/json';
import { MAX_ENVELOPES_BYTES, MAX_EVENT_BYTES, type ChainProblem, type ChainVerification, type NewEvent } from './event-store';

export type { ChainProblem, ChainProblemKind, ChainVerification } from './event-store';
import { EventTooLargeError, InvalidEventError } from './errors';

/**
 * The tamper-evident hash chain shared by every adapter, so that the same event has the same
 * bytes and the same hash whichever store holds it.
 *
 * hash = SHA-256 over the RFC 8785 (JCS) canonical JSON of
 *   { streamName, revision, eventId, type, data, metadata, prevHash }
 * and the first event of a stream chains from GENESIS_HASH.
 */
export const GENESIS_HASH = '0'.repeat(64);
export const HASH_ALGORITHM = 'SHA-256';

export interface ChainedFields {
  streamName: string;
  revision: number;
  eventId: string;
  type: string;
  /** Canonical JSON text of data, exactly as stored. */
  dataText: string;
  /** Canonical JSON text of metadata, exactly as stored. */
  metadataText: string;
  prevHash: string;
}

/** A new event checked and encoded once, ready to be chained at any revision. */
export interface EncodedEvent {
  id: string;
  type: string;
  dataText: string;
  metadataText: string;
  /** Kept beside the event, never hashed (NewEvent.envelopes). */
  envelopesText?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const MAX_STREAM_NAME_LENGTH = 512;
export const MAX_EVENT_TYPE_LENGTH = 256;

/** JCS text of a JSON value. Object keys are sorted by UTF-16 code units, numbers in ECMAScript form. */
export function canonicalJson(value: JsonValue): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/**
 * Builds the canonical encoding from already-canonical parts. Equal to canonicalJson of the whole
 * object (keys in JCS order: data, eventId, metadata, prevHash, revision, streamName, type) but
 * never re-encodes data and metadata, which are the bulk of the bytes.
 */
export function canonicalEventEncoding(f: ChainedFields): string {
  return (
    `{"data":${f.dataText},"eventId":${JSON.stringify(f.eventId)},"metadata":${f.metadataText},` +
    `"prevHash":${JSON.stringify(f.prevHash)},"revision":${f.revision},` +
    `"streamName":${JSON.stringify(f.streamName)},"type":${JSON.stringify(f.type)}}`
  );
}

export function computeEventHash(f: ChainedFields): string {
  return createHash('sha256').update(canonicalEventEncoding(f), 'utf8').digest('hex');
}

export function assertValidStreamName(streamName: string): void {
  if (typeof streamName !== 'string' || streamName.length === 0) {
    throw new InvalidEventError(undefined, 'stream name must be a non-empty string');
  }
  if (streamName.length > MAX_STREAM_NAME_LENGTH) {
    throw new InvalidEventError(undefined, `stream name longer than ${MAX_STREAM_NAME_LENGTH} characters`);
  }
  if (streamName.startsWith('$') || LONE_SURROGATE.test(streamName)) {
    throw new InvalidEventError(undefined, 'stream name must not start with $ or hold unpaired surrogates');
  }
}

/** Checks that a value is plain JSON that survives a round trip unchanged. */
function assertJson(value: unknown, path: string, eventId: string, depth = 0): void {
  if (depth > 64) throw new InvalidEventError(eventId, `${path} is nested deeper than 64 levels`);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) throw new InvalidEventError(eventId, `${path} holds an unpaired surrogate`);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidEventError(eventId, `${path} is not a finite number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertJson(v, `${path}[${i}]`, eventId, depth + 1));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      if (LONE_SURROGATE.test(k)) throw new InvalidEventError(eventId, `${path} has a key with an unpaired surrogate`);
      assertJson(v, `${path}.${k}`, eventId, depth + 1);
    }
    return;
  }
  throw new InvalidEventError(eventId, `${path} is not JSON (${typeof value})`);
}

/** Whether a value from a caller is an array, without narrowing its declared element type to any. */
const isList = (value: unknown): boolean => Array.isArray(value);

/** Validates a batch and encodes each event once; the store chains them at their revisions. */
export function encodeNewEvents(events: readonly NewEvent[]): EncodedEvent[] {
  if (!isList(events) || events.length === 0) {
    throw new InvalidEventError(undefined, 'an append needs at least one event');
  }
  const seen = new Set<string>();
  return events.map((e) => {
    if (typeof e?.id !== 'string' || !UUID.test(e.id)) throw new InvalidEventError(e?.id, 'id must be a UUID');
    const id = e.id.toLowerCase();
    if (seen.has(id)) throw new InvalidEventError(id, 'the same id appears twice in one append');
    seen.add(id);
    if (typeof e.type !== 'string' || e.type.length === 0 || e.type.length > MAX_EVENT_TYPE_LENGTH) {
      throw new InvalidEventError(id, `type must be a string of 1 to ${MAX_EVENT_TYPE_LENGTH} characters`);
    }
    if (e.type.startsWith('$') || LONE_SURROGATE.test(e.type)) {
      throw new InvalidEventError(id, 'type must not start with $ or hold unpaired surrogates');
    }
    if (e.data === undefined) throw new InvalidEventError(id, 'data is missing');
    assertJson(e.data, 'data', id);
    const metadata: JsonObject = e.metadata ?? {};
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      throw new InvalidEventError(id, 'metadata must be a JSON object');
    }
    assertJson(metadata, 'metadata', id);
    const dataText = canonicalJson(e.data);
    const metadataText = canonicalJson(metadata);
    const bytes = Buffer.byteLength(dataText, 'utf8') + Buffer.byteLength(metadataText, 'utf8');
    if (bytes > MAX_EVENT_BYTES) throw new EventTooLargeError(id, bytes, MAX_EVENT_BYTES);
    const envelopesText = checkedEnvelopes(e.envelopes, id);
    return envelopesText === undefined
      ? { id, type: e.type, dataText, metadataText }
      : { id, type: e.type, dataText, metadataText, envelopesText };
  });
}

/** Envelopes are opaque to the store: a non-empty string of bounded size, without unpaired surrogates. */
function checkedEnvelopes(envelopes: unknown, id: string): string | undefined {
  if (envelopes === undefined) return undefined;
  if (typeof envelopes !== 'string' || envelopes.length === 0) throw new InvalidEventError(id, 'envelopes must be a non-empty string');
  if (LONE_SURROGATE.test(envelopes)) throw new InvalidEventError(id, 'envelopes hold an unpaired surrogate');
  if (Buffer.byteLength(envelopes, 'utf8') > MAX_ENVELOPES_BYTES) {
    throw new InvalidEventError(id, `envelopes are larger than ${MAX_ENVELOPES_BYTES} bytes`);
  }
  return envelopes;
}

/** Chains encoded events after a stream head; returns each event's prevHash and hash. */
export function chainEvents(
  streamName: string,
  firstRevision: number,
  headHash: string,
  events: readonly EncodedEvent[],
): Array<EncodedEvent & { revision: number; prevHash: string; hash: string }> {
  let prevHash = headHash;
  return events.map((e, i) => {
    const revision = firstRevision + i;
    const hash = computeEventHash({
      streamName,
      revision,
      eventId: e.id,
      type: e.type,
      dataText: e.dataText,
      metadataText: e.metadataText,
      prevHash,
    });
    const chained = { ...e, revision, prevHash, hash };
    prevHash = hash;
    return chained;
  });
}

// ---------------------------------------------------------------------------------------------
// Verification

export const MAX_REPORTED_PROBLEMS = 100;

/** An event exactly as a store holds it, with data and metadata as their stored text. */
export interface StoredEventRecord extends ChainedFields {
  globalPosition: number;
  hash: string;
}

interface StreamCursor {
  nextRevision: number;
  lastHash: string;
  /** The previous event was reported altered: a broken link after it is the same fault, not a new one. */
  lastAltered: boolean;
}

/**
 * Verifies hash chains incrementally, so that a store can feed it page by page without holding
 * the log in memory. Each stream's records must arrive in the order the store claims for them
 * (by revision); streams may interleave.
 */
export class ChainVerifier {
  private readonly streams = new Map<string, StreamCursor>();
  private readonly problems: ChainProblem[] = [];
  private problemCount = 0;
  private eventsChecked = 0;
  private lastPosition: number | null = null;
  private lastPositionStream = '';
  private readonly lastRevisionCommitted = new Map<string, number>();

  constructor(private readonly options: { densePositions: boolean }) {}

  private report(p: ChainProblem): void {
    this.problemCount++;
    this.problems.push(p);
  }

  /** Feed records of each stream in revision order. */
  checkChain(r: StoredEventRecord): void {
    this.eventsChecked++;
    const at = { streamName: r.streamName, revision: r.revision, globalPosition: r.globalPosition };
    const content = checkContent(r);
    if (content) this.report({ kind: 'altered', ...at, detail: content });

    const cursor = this.streams.get(r.streamName) ?? { nextRevision: 0, lastHash: GENESIS_HASH, lastAltered: false };
    if (r.revision > cursor.nextRevision) {
      const gap =
        r.revision - 1 === cursor.nextRevision
          ? `revision ${cursor.nextRevision} is missing`
          : `revisions ${cursor.nextRevision} to ${r.revision - 1} are missing`;
      this.report({ kind: 'missing', ...at, detail: `${gap} before this event` });
    } else if (r.revision < cursor.nextRevision) {
      this.report({
        kind: 'inserted',
        ...at,
        detail: `revision ${r.revision} appears again after revision ${cursor.nextRevision - 1}`,
      });
    } else if (r.prevHash !== cursor.lastHash && !content && !cursor.lastAltered) {
      // Revisions line up and the event matches its own hash, yet it does not link to its
      // predecessor: it was made for another chain and put here.
      this.report({
        kind: 'inserted',
        ...at,
        detail: `prevHash ${r.prevHash.slice(0, 16)}… does not link to the previous event's hash ${cursor.lastHash.slice(0, 16)}…`,
      });
    }
    if (r.revision >= cursor.nextRevision) {
      this.streams.set(r.streamName, { nextRevision: r.revision + 1, lastHash: r.hash, lastAltered: content !== null });
    }
  }

  /**
   * Feed (stream, revision, position) in global-position order: each stream's revisions must grow
   * with position, and where positions are dense no position may be skipped.
   */
  checkCommitOrder(r: { streamName: string; revision: number; globalPosition: number }): void {
    const at = { streamName: r.streamName, revision: r.revision, globalPosition: r.globalPosition };
    if (this.options.densePositions) {
      const expected = (this.lastPosition ?? 0) + 1;
      if (r.globalPosition > expected) {
        const gap =
          r.globalPosition - 1 === expected
            ? `position ${expected} is missing`
            : `positions ${expected} to ${r.globalPosition - 1} are missing`;
        this.report({
          kind: 'missing',
          ...at,
          detail: `${gap} from the global log (after an event of ${this.lastPositionStream || 'no stream'})`,
        });
      }
    }
    const previous = this.lastRevisionCommitted.get(r.streamName);
    if (previous !== undefined && r.revision < previous) {
      this.report({
        kind: 'reordered',
        ...at,
        detail: `revision ${r.revision} was committed after revision ${previous} of the same stream`,
      });
    }
    this.lastRevisionCommitted.set(r.streamName, Math.max(previous ?? -1, r.revision));
    this.lastPosition = r.globalPosition;
    this.lastPositionStream = r.streamName;
  }

  result(): ChainVerification {
    const sorted = [...this.problems].sort(
      (a, b) => (a.globalPosition ?? Number.MAX_SAFE_INTEGER) - (b.globalPosition ?? Number.MAX_SAFE_INTEGER),
    );
    return {
      ok: this.problemCount === 0,
      eventsChecked: this.eventsChecked,
      streamsChecked: this.streams.size,
      problems: sorted.slice(0, MAX_REPORTED_PROBLEMS),
      problemCount: this.problemCount,
    };
  }
}

/** Why a record's stored content does not match its stored hash, or null when it does. */
function checkContent(r: StoredEventRecord): string | null {
  for (const [field, text] of [
    ['data', r.dataText],
    ['metadata', r.metadataText],
  ] as const) {
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(text) as JsonValue;
    } catch {
      return `${field} is not valid JSON any more`;
    }
    if (canonicalJson(parsed) !== text) return `${field} is not in its canonical form as written`;
  }
  const recomputed = computeEventHash(r);
  if (recomputed !== r.hash) {
    return `content does not match its hash (stored ${r.hash.slice(0, 16)}…, recomputed ${recomputed.slice(0, 16)}…)`;
  }
  return null;
}
