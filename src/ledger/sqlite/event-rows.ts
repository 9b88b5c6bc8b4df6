import type { Database, Statement } from 'better-sqlite3';
import type { JsonObject, JsonValue } from '../../shared/json';
import type { RecordedEvent } from '../event-store';
import type { StoredEventRecord } from '../hash-chain';
import type { StreamHead } from './stream-head-cache';

/** One row of the events table, as the statements below select it. */
export interface EventRow {
  global_position: number;
  stream_name: string;
  stream_revision: number;
  event_id: string;
  event_type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
  envelopes: string | null;
}

const ALL_COLUMNS =
  'global_position, stream_name, stream_revision, event_id, event_type, data, metadata, recorded_at, prev_hash, hash, envelopes';

export interface EventStatements {
  head: Statement<[string], StreamHead>;
  byEventId: Statement<[string], EventRow>;
  insert: Statement<unknown[]>;
  streamForwards: Statement<[string, number, number], EventRow>;
  streamBackwards: Statement<[string, number, number], EventRow>;
  all: Statement<[number, number], EventRow>;
  lastPosition: Statement<[], { p: number | null }>;
  streamPage: Statement<[string, number, number], EventRow>;
  chainPage: Statement<[string, number, number], EventRow>;
  orderPage: Statement<[number, number], Pick<EventRow, 'global_position' | 'stream_name' | 'stream_revision'>>;
}

/** Prepared once per store: preparing a statement per call would cost as much as running it. */
export function prepareEventStatements(db: Database): EventStatements {
  return {
    head: db.prepare(`SELECT stream_revision AS revision, hash FROM events WHERE stream_name = ? ORDER BY stream_revision DESC LIMIT 1`),
    byEventId: db.prepare(`SELECT ${ALL_COLUMNS} FROM events WHERE event_id = ?`),
    insert: db.prepare(
      `INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata, recorded_at, prev_hash, hash, envelopes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    streamForwards: db.prepare(
      `SELECT ${ALL_COLUMNS} FROM events WHERE stream_name = ? AND stream_revision >= ? ORDER BY stream_revision ASC LIMIT ?`,
    ),
    streamBackwards: db.prepare(
      `SELECT ${ALL_COLUMNS} FROM events WHERE stream_name = ? AND stream_revision <= ? ORDER BY stream_revision DESC LIMIT ?`,
    ),
    all: db.prepare(`SELECT ${ALL_COLUMNS} FROM events WHERE global_position > ? ORDER BY global_position ASC LIMIT ?`),
    lastPosition: db.prepare(`SELECT max(global_position) AS p FROM events`),
    streamPage: db.prepare(
      `SELECT ${ALL_COLUMNS} FROM events WHERE stream_name = ? AND stream_revision > ? ORDER BY stream_revision ASC LIMIT ?`,
    ),
    // Keyset paging over the (stream, revision) index so verification never holds the log in memory.
    chainPage: db.prepare(
      `SELECT ${ALL_COLUMNS} FROM events WHERE (stream_name, stream_revision) > (?, ?)
       ORDER BY stream_name ASC, stream_revision ASC LIMIT ?`,
    ),
    orderPage: db.prepare(
      `SELECT global_position, stream_name, stream_revision FROM events WHERE global_position > ? ORDER BY global_position ASC LIMIT ?`,
    ),
  };
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamName: row.stream_name,
    revision: row.stream_revision,
    globalPosition: row.global_position,
    id: row.event_id,
    type: row.event_type,
    data: JSON.parse(row.data) as JsonValue,
    metadata: JSON.parse(row.metadata) as JsonObject,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
    ...(row.envelopes === null ? {} : { envelopes: row.envelopes }),
  };
}

export function toStoredRecord(row: EventRow): StoredEventRecord {
  return {
    streamName: row.stream_name,
    revision: row.stream_revision,
    globalPosition: row.global_position,
    eventId: row.event_id,
    type: row.event_type,
    dataText: row.data,
    metadataText: row.metadata,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
