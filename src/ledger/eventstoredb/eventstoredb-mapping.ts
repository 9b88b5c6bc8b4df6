import { types as nodeTypes } from 'node:util';
import { START } from '@eventstore/db-client';
import type { AppendExpectedRevision, CurrentRevision, Position, ReadPosition } from '@eventstore/db-client';
import type { JsonValue } from '../../shared/json';
import { EventStoreError, InvalidEventError, StoreUnavailableError } from '../errors';
import type { RecordedEvent } from '../event-store';
import type { ActualRevision } from '../expected-revision';
import type { StoredEventRecord } from '../hash-chain';

/**
 * Pure translation between the ledger's model and EventStoreDB's. Nothing here talks to a server,
 * so every rule about bytes, positions and revisions is unit-tested on its own.
 */

// ---------------------------------------------------------------------------------------------
// Event metadata: the chain fields and the user's metadata text

/** Marks metadata written by this store; bump it if the layout below ever changes. */
export const LEDGER_METADATA_FORMAT = 1;

/**
 * What the store keeps in an EventStoreDB event's metadata. The user's metadata is embedded as a
 * JSON *string* (metadataText): the client parses metadata JSON on read, and a string survives
 * that parse byte for byte, whereas an embedded object would come back re-serialised.
 */
export interface ChainMetadata {
  prevHash: string;
  hash: string;
  /** ISO-8601 instant from the injected clock when the append was made; not hashed. */
  recordedAt: string;
  /** A random id per appendToStream call, so the store can tell its own write from a concurrent twin's. */
  appendId: string;
  /** Canonical JSON text of the user's metadata, exactly as hashed. */
  metadataText: string;
  /**
   * The event's envelopes (NewEvent.envelopes), kept in the ESDB metadata beside the chain fields:
   * only metadataText and the data bytes are hashed, so they stay outside the hash like SQLite's
   * column. Written only when present; events written before have none.
   */
  envelopesText?: string;
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/**
 * The metadata bytes of one event:
 *   {"ledgerFormat":1,"prevHash":"…","hash":"…","recordedAt":"…","appendId":"…","metadataText":"{…}"[,"envelopesText":"[…]"]}
 * Returned as a plain Uint8Array created in this module's realm: the client sends metadata as raw
 * bytes only when `metadata.constructor === Uint8Array` (a Buffer or a TextEncoder result from
 * another realm would be JSON-stringified as an object of indices instead).
 */
export function encodeEventMetadata(chain: ChainMetadata): Uint8Array {
  const text = JSON.stringify({
    ledgerFormat: LEDGER_METADATA_FORMAT,
    prevHash: chain.prevHash,
    hash: chain.hash,
    recordedAt: chain.recordedAt,
    appendId: chain.appendId,
    metadataText: chain.metadataText,
    ...(chain.envelopesText === undefined ? {} : { envelopesText: chain.envelopesText }),
  });
  return Uint8Array.from(Buffer.from(text, 'utf8'));
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Reads back what encodeEventMetadata wrote, from the value the client hands over (parsed JSON, raw bytes or nothing). */
export function decodeEventMetadata(raw: unknown): Decoded<ChainMetadata> {
  if (raw === undefined || raw === null) return { ok: false, reason: 'it has no metadata, so it was not written by the ledger' };
  if (nodeTypes.isUint8Array(raw)) return { ok: false, reason: 'its metadata is not JSON, so it was not written by the ledger' };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, reason: 'its metadata is not a JSON object' };
  const m = raw as Record<string, unknown>;
  if (m.ledgerFormat !== LEDGER_METADATA_FORMAT) {
    return { ok: false, reason: `its metadata has no ledgerFormat ${LEDGER_METADATA_FORMAT}, so it was not written by this store` };
  }
  const { prevHash, hash, recordedAt, appendId, metadataText, envelopesText } = m;
  if (typeof prevHash !== 'string' || !HEX_HASH.test(prevHash)) return { ok: false, reason: 'its prevHash is missing or malformed' };
  if (typeof hash !== 'string' || !HEX_HASH.test(hash)) return { ok: false, reason: 'its hash is missing or malformed' };
  if (typeof recordedAt !== 'string') return { ok: false, reason: 'its recordedAt is missing' };
  if (typeof appendId !== 'string') return { ok: false, reason: 'its appendId is missing' };
  if (typeof metadataText !== 'string') return { ok: false, reason: 'its metadataText is missing' };
  if (envelopesText === undefined) return { ok: true, value: { prevHash, hash, recordedAt, appendId, metadataText } };
  if (typeof envelopesText !== 'string') return { ok: false, reason: 'its envelopesText is not a string' };
  return { ok: true, value: { prevHash, hash, recordedAt, appendId, metadataText, envelopesText } };
}

// ---------------------------------------------------------------------------------------------
// Event data: the canonical JSON text, stored as bytes

/**
 * Data is appended as application/octet-stream holding the UTF-8 bytes of the canonical JSON
 * text, so the stored bytes equal the SQLite store's. (A JSON event would be re-serialised by the
 * client's JSON.stringify, which orders integer-like keys differently from RFC 8785.)
 */
export function encodeEventData(dataText: string): Uint8Array {
  return Uint8Array.from(Buffer.from(dataText, 'utf8'));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

export function decodeEventData(data: unknown, isJson: boolean): Decoded<string> {
  if (isJson || !nodeTypes.isUint8Array(data)) {
    return { ok: false, reason: 'its data was stored as a JSON event by another writer, not as canonical bytes' };
  }
  try {
    return { ok: true, value: strictUtf8.decode(data) };
  } catch {
    return { ok: false, reason: 'its data is not valid UTF-8' };
  }
}

// ---------------------------------------------------------------------------------------------
// Whole events

/** The fields of a client RecordedEvent this store uses; the client's own type satisfies it. */
export interface EsdbEventLike {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

export interface DecodedStoredEvent extends StoredEventRecord {
  recordedAt: string;
  appendId: string;
  envelopesText?: string;
}

/** A stored event that cannot be turned back into a ledger event: foreign, damaged or from an unsupported server. */
export class StoredEventUnreadableError extends EventStoreError {
  readonly code = 'stored_event_unreadable';
  constructor(
    readonly streamName: string,
    readonly revision: number,
    readonly reason: string,
  ) {
    super(`event ${revision} of stream ${streamName} cannot be read as a ledger event: ${reason}`);
  }
}

/** Strict: every field must be as this store wrote it. */
export function decodeStoredEvent(e: EsdbEventLike): DecodedStoredEvent {
  const revision = revisionToNumber(e.revision);
  const fail = (reason: string): never => {
    throw new StoredEventUnreadableError(e.streamId, revision, reason);
  };
  const data = decodeEventData(e.data, e.isJson);
  if (!data.ok) return fail(data.reason);
  const chain = decodeEventMetadata(e.metadata);
  if (!chain.ok) return fail(chain.reason);
  const globalPosition = ledgerPositionOf(e.position);
  if (globalPosition === null) return fail(MISSING_POSITION);
  return {
    streamName: e.streamId,
    revision,
    globalPosition,
    eventId: e.id.toLowerCase(),
    type: e.type,
    dataText: data.value,
    metadataText: chain.value.metadataText,
    prevHash: chain.value.prevHash,
    hash: chain.value.hash,
    recordedAt: chain.value.recordedAt,
    appendId: chain.value.appendId,
    ...(chain.value.envelopesText === undefined ? {} : { envelopesText: chain.value.envelopesText }),
  };
}

/**
 * Lenient: for verification, an event that does not decode is still handed to the verifier, with
 * the fields it lacks left empty, so that it is reported as altered instead of aborting the walk.
 */
export function storedRecordForVerification(e: EsdbEventLike): StoredEventRecord {
  const revision = revisionToNumber(e.revision);
  const chain = decodeEventMetadata(e.metadata);
  const globalPosition = ledgerPositionOf(e.position);
  if (globalPosition === null) throw new StoredEventUnreadableError(e.streamId, revision, MISSING_POSITION);
  let dataText: string;
  if (nodeTypes.isUint8Array(e.data)) dataText = lenientUtf8.decode(e.data);
  else dataText = JSON.stringify(e.data) ?? '';
  return {
    streamName: e.streamId,
    revision,
    globalPosition,
    eventId: e.id.toLowerCase(),
    type: e.type,
    dataText,
    metadataText: chain.ok ? chain.value.metadataText : '',
    prevHash: chain.ok ? chain.value.prevHash : '',
    hash: chain.ok ? chain.value.hash : '',
  };
}

export function toRecordedEvent(d: DecodedStoredEvent): RecordedEvent {
  const fail = (reason: string): never => {
    throw new StoredEventUnreadableError(d.streamName, d.revision, reason);
  };
  let data: JsonValue;
  let metadata: JsonValue;
  try {
    data = JSON.parse(d.dataText) as JsonValue;
  } catch {
    return fail('its data is not valid JSON');
  }
  try {
    metadata = JSON.parse(d.metadataText) as JsonValue;
  } catch {
    return fail('its metadata text is not valid JSON');
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return fail('its metadata is not a JSON object');
  return {
    streamName: d.streamName,
    revision: d.revision,
    globalPosition: d.globalPosition,
    id: d.eventId,
    type: d.type,
    data,
    metadata: metadata,
    recordedAt: d.recordedAt,
    prevHash: d.prevHash,
    hash: d.hash,
    ...(d.envelopesText === undefined ? {} : { envelopes: d.envelopesText }),
  };
}

function revisionToNumber(revision: bigint): number {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new StoreUnavailableError(`EventStoreDB returned an out-of-range stream revision ${revision}`);
  }
  return Number(revision);
}

// ---------------------------------------------------------------------------------------------
// Which events of $all are ledger events

/**
 * Streams that hold one reservation each for an event id (see EventStoreDbAppender in append.ts). They share
 * $all with the ledger's streams but are not ledger streams, so reads skip them and appends refuse
 * stream names with this prefix.
 */
export const EVENT_ID_RESERVATION_STREAM_PREFIX = 'ledger-event-id-';
export const EVENT_ID_RESERVATION_EVENT_TYPE = 'LedgerEventIdReserved';

export function reservationStreamFor(eventId: string): string {
  return `${EVENT_ID_RESERVATION_STREAM_PREFIX}${eventId.toLowerCase()}`;
}

/** System streams ($…), system event types ($…, e.g. $streamDeleted, $metadata, $>) and id reservations are not the ledger's. */
export function isLedgerEvent(streamName: string, type: string): boolean {
  return !streamName.startsWith('$') && !type.startsWith('$') && !streamName.startsWith(EVENT_ID_RESERVATION_STREAM_PREFIX);
}

export function isLedgerStreamName(streamName: string): boolean {
  return streamName.length > 0 && !streamName.startsWith('$') && !streamName.startsWith(EVENT_ID_RESERVATION_STREAM_PREFIX);
}

// ---------------------------------------------------------------------------------------------
// Global positions

/**
 * The port's global position is EventStoreDB's *prepare* position: the byte offset of the event's
 * own record in the transaction log.
 *
 * Why prepare and not commit: on every server that speaks gRPC, an append is written as one
 * implicitly committed prepare record per event, so for those events commit == prepare == the
 * record's own offset, distinct for each event even within one multi-event append. Only legacy
 * explicit transactions (TCP API) wrote a separate commit record, giving all their events the
 * commit record's position and telling them apart by prepare alone. The prepare position is
 * therefore unique per event in every case, and in $all order it only grows.
 *
 * Offsets are far below 2^53 (that would be an 8 PiB log), so the conversion to number is exact.
 */
export function ledgerPositionOf(position: Position | undefined): number | null {
  if (!position) return null;
  const prepare = position.prepare;
  // Older servers report stream reads with no position (2^64-1); 0 is the log's own header.
  if (prepare <= 0n || prepare > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(prepare);
}

const MISSING_POSITION =
  'EventStoreDB returned no log position for it (stream reads carry positions from server 22.10 on; this store needs 22.10 or later)';

/**
 * Where a $all read or subscription should start to return the events strictly after a ledger
 * position. Reads from {p, p} are inclusive of the event at p (and a subscription may or may not
 * include it), so callers also drop every event whose position is ≤ p; that filter keeps the
 * result exact even for legacy transaction events whose commit position differs from p.
 */
export function readPositionAfter(ledgerPosition: number): ReadPosition {
  if (ledgerPosition === 0) return START;
  const p = BigInt(ledgerPosition);
  return { commit: p, prepare: p };
}

/** Orders two log positions as $all does: by commit, then prepare. */
export function compareLogPositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Read arguments and expected revisions

export function assertNonNegativeInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidEventError(undefined, `${name} must be a non-negative integer`);
  }
}

/**
 * What the store passes to EventStoreDB: always the exact head it read (or no_stream), whatever
 * the caller asked for, so that a concurrent append between reading the head and writing makes
 * the server refuse instead of letting two appends chain from the same predecessor.
 */
export function pinnedExpectedRevision(head: number | null): AppendExpectedRevision {
  return head === null ? 'no_stream' : BigInt(head);
}

/** The client reports "no stream" as 'no_stream' or, from some server paths, as -1. */
export function actualRevisionOf(current: CurrentRevision): ActualRevision {
  if (current === 'no_stream' || current < 0n) return 'no_stream';
  return revisionToNumber(current);
}

// ---------------------------------------------------------------------------------------------
// Connection strings

/**
 * KurrentDB is EventStoreDB renamed, speaking the same gRPC protocol, but this client version only
 * parses the esdb schemes; the configuration also admits kurrentdb:// and kurrentdb+discover://.
 */
export function toClientConnectionString(connectionString: string): string {
  return connectionString
    .trim()
    .replace(/^kurrentdb(\+discover)?:\/\//, (_scheme, discover: string | undefined) => `esdb${discover ?? ''}://`);
}

// ---------------------------------------------------------------------------------------------
// Client errors

/**
 * Every client failure that the store does not handle itself means the store could not do the
 * work (no connection, deadline, not the leader, access denied, discovery failed, a gRPC fault).
 * All become StoreUnavailableError, keeping the client's error as the cause, so that no client
 * type crosses the port.
 */
export function translateClientError(error: unknown, action: string): EventStoreError {
  if (error instanceof EventStoreError) return error;
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const message = error instanceof Error && error.message ? error.message : String(error);
  return new StoreUnavailableError(`${action} failed (${name}: ${message})`, error);
}
