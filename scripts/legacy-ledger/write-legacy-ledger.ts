/**
 * Writes a data dir whose ledger holds events as the release before the tightened input rules
 * stored them (schema version 1; CustodyTransferAccepted version 2), through the SQLite event
 * store's own append, so hashes, chain and Merkle leaves are what that release produced.
 *
 *   npx ts-node --transpile-only scripts/legacy-ledger/write-legacy-ledger.ts <data-dir>
 *
 * Then start the server with LEDGER_DATA_DIR=<data-dir>. The events come from
 * test/fixtures/legacy-ledger/legacy-events.json (see the README there for how it was made).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SQLITE_FILENAME } from '../../src/ledger/ledger.module';
import type { NewEvent } from '../../src/ledger/event-store';
import { SqliteEventStore } from '../../src/ledger/sqlite/sqlite-event-store';
import { FixedClock } from '../../src/shared/clock';
import type { JsonObject, JsonValue } from '../../src/shared/json';

export const LEGACY_EVENTS_FIXTURE = resolve(__dirname, '../../test/fixtures/legacy-ledger/legacy-events.json');

/** One event as the old release stored it: its stream, id, type, data and metadata. */
export interface LegacyEvent {
  streamName: string;
  id: string;
  type: string;
  data: JsonValue;
  metadata: JsonObject & { occurredAt: string };
}

export function readLegacyEvents(file = LEGACY_EVENTS_FIXTURE): LegacyEvent[] {
  return JSON.parse(readFileSync(file, 'utf8')) as LegacyEvent[];
}

/**
 * Appends the events in their original global order, each with the expected revision of its
 * stream, at the instant it was decided (the store's recordedAt then matches the old run's).
 * Returns how many events were written; refuses a data dir whose ledger already has events.
 */
export async function writeLegacyLedger(dataDir: string, events: readonly LegacyEvent[] = readLegacyEvents()): Promise<number> {
  const clock = new FixedClock(events[0]?.metadata.occurredAt);
  const store = SqliteEventStore.open({ filename: join(dataDir, SQLITE_FILENAME), clock });
  try {
    if ((await store.health()).lastGlobalPosition) throw new Error(`${dataDir} already holds a ledger; give an empty data dir`);
    const revisions = new Map<string, number>();
    for (const e of events) {
      clock.set(e.metadata.occurredAt);
      const event: NewEvent = { id: e.id, type: e.type, data: e.data, metadata: e.metadata };
      const result = await store.appendToStream(e.streamName, [event], { expectedRevision: revisions.get(e.streamName) ?? 'no_stream' });
      revisions.set(e.streamName, result.nextExpectedRevision);
    }
    return events.length;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  const dataDir = process.argv[2];
  if (!dataDir) {
    process.stderr.write('usage: write-legacy-ledger.ts <data-dir>\n');
    process.exit(2);
  }
  writeLegacyLedger(resolve(dataDir)).then(
    (count) => process.stdout.write(`wrote ${count} legacy events to ${resolve(dataDir)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
