import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { v7 as timeOrderedUuid } from 'uuid';
import { migrate } from '../../src/ledger/sqlite/migrations';
import { openDurableDatabase } from '../../src/platform/sqlite/durable-database';
import type { PhaseProgress } from '../report/console';
import { rate, type Measure } from '../report/measure';
import type { Workload } from '../workload/workload';
import { LatencyRecorder, nowMs } from './latency';

/**
 * What better-sqlite3 itself does on this machine with the store's table and pragmas (the
 * ledger's own migration and openDurableDatabase: WAL, synchronous=FULL), and nothing of ours:
 * no hashing, no canonical JSON, no checks. The rows are the workload's own events, so their
 * sizes are the real ones; stream names are random and event ids time-ordered (UUIDv7), as the
 * server's are, so the indexes grow the same way.
 */

interface SampleEvent {
  type: string;
  data: string;
  metadata: string;
}

/** Events of the workload's first seizures, as JSON text. */
export function sampleEvents(workload: Workload, seizures = 300): SampleEvent[] {
  const sample: SampleEvent[] = [];
  for (let i = 0; i < Math.min(seizures, workload.seizureCount); i++) {
    for (const append of workload.seizure(i).appends) {
      for (const e of append.events)
        sample.push({ type: e.type, data: JSON.stringify(e.data), metadata: JSON.stringify(e.metadata ?? {}) });
    }
  }
  return sample;
}

/** Names a raw-insert figure other than by its row count, e.g. the count our group commit achieved. */
export interface RawInsertLabel {
  id: string;
  title: string;
  notes: string[];
}

export function measureRawInserts(
  dir: string,
  rowsPerTransaction: number,
  seconds: number,
  sample: readonly SampleEvent[],
  label?: RawInsertLabel,
): Measure {
  const db = openDurableDatabase(join(dir, `raw-${label ? 'labelled-' : ''}${rowsPerTransaction}.sqlite`), (opened) =>
    migrate(opened, new Date().toISOString()),
  );
  const insert = db.prepare(
    `INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata, recorded_at, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const hashes = Array.from({ length: 256 }, () => randomBytes(32).toString('hex'));
  const recordedAt = new Date().toISOString();
  let row = 0;
  let stream = '';
  const insertRows = db.transaction((count: number) => {
    for (let i = 0; i < count; i++, row++) {
      // Eight events to a stream, like a seizure.
      if (row % 8 === 0) stream = `seizure-${randomUUID()}`;
      const event = sample[row % sample.length];
      insert.run(
        stream,
        row % 8,
        timeOrderedUuid(),
        event.type,
        event.data,
        event.metadata,
        recordedAt,
        hashes[row & 255],
        hashes[(row + 1) & 255],
      );
    }
  });
  const latency = new LatencyRecorder();
  const started = nowMs();
  const deadline = started + seconds * 1000;
  try {
    while (nowMs() < deadline) {
      const t0 = nowMs();
      insertRows.immediate(rowsPerTransaction);
      latency.record(nowMs() - t0);
    }
  } finally {
    db.close();
  }
  const elapsed = nowMs() - started;
  return {
    id: label?.id ?? `limit.sqlite-insert-${rowsPerTransaction}`,
    group: 'limit',
    title: label?.title ?? `raw SQLite insert, ${rowsPerTransaction === 1 ? '1 row' : `${rowsPerTransaction} rows`} per transaction`,
    value: rate(row, elapsed),
    unit: 'rows/s',
    latency: latency.summary(),
    operations: row,
    durationSeconds: elapsed / 1000,
    notes: ['latency per transaction', ...(label?.notes ?? [])],
    detail: { rowsPerTransaction },
  };
}

/** Every row of the ledger's events table in order, both JSON columns parsed: the least any reader of the log does. */
export function measureRawReadAndParse(ledgerFile: string, progress: PhaseProgress): Measure {
  const db = new BetterSqlite3(ledgerFile, { readonly: true });
  let rows = 0;
  let bytes = 0;
  const started = nowMs();
  try {
    const select = db.prepare(
      `SELECT global_position, stream_name, stream_revision, event_id, event_type, data, metadata, recorded_at, prev_hash, hash
       FROM events ORDER BY global_position`,
    );
    for (const row of select.iterate() as IterableIterator<{ data: string; metadata: string }>) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      bytes += row.data.length + row.metadata.length;
      if (++rows % 20_000 === 0) progress.update(rows);
    }
  } finally {
    db.close();
  }
  const elapsed = nowMs() - started;
  progress.finish(`${rows.toLocaleString('en-US')} rows`);
  return {
    id: 'limit.sqlite-read-parse',
    group: 'limit',
    title: 'raw SQLite sequential read + JSON.parse',
    value: rate(rows, elapsed),
    unit: 'rows/s',
    operations: rows,
    durationSeconds: elapsed / 1000,
    detail: { jsonCharacters: bytes },
  };
}
