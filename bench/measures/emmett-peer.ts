import { join } from 'node:path';
import type { BenchConsole } from '../report/console';
import { rate, type Measure } from '../report/measure';
import { peerPackageVersion, requirePeer } from '../support/peer-install';
import type { Workload } from '../workload/workload';
import { driveAppends } from './append-driver';

/**
 * The peer: Emmett's SQLite event store (@event-driven-io/emmett-sqlite 0.38.5, the newest this
 * registry installs: 0.42.x needs @event-driven-io/emmett 0.42.x, which it does not have), fed
 * the very same appends. It lives in bench/peer, installed on first use (see peer-install.ts).
 *
 * Its getSQLiteEventStore opens a new connection for every call on a file database and closes it
 * afterwards, and has no option to pass one in. So the peer runs on the functions that store is
 * built from, which the package exports: one sqliteConnection kept open for the whole run,
 * createEventStoreSchema, and appendToStream — the append the store itself calls, in its own
 * BEGIN IMMEDIATE transaction. That connection sets journal_mode=WAL itself; synchronous=FULL
 * (our durability: every commit fsyncs the WAL) and a busy timeout are set on it here and read
 * back before any append.
 *
 * A connection holds one transaction at a time, and Emmett's withTransaction counts nesting per
 * connection, so two appends in flight on it would share a transaction. Appends from concurrent
 * workers therefore queue for the connection, each in its own transaction, as Emmett intends.
 */
export const PEER_PACKAGE = '@event-driven-io/emmett-sqlite';

/** The part of the package the bench uses, typed here: its own types are not installed with the ledger. */
interface SQLiteConnection {
  close(): void;
  command(sql: string): Promise<unknown>;
  querySingle<T>(sql: string): Promise<T | null>;
}
interface PeerMessage {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
interface EmmettSqlite {
  sqliteConnection: (options: { fileName: string }) => SQLiteConnection;
  createEventStoreSchema: (connection: SQLiteConnection) => Promise<void>;
  appendToStream: (
    connection: SQLiteConnection,
    streamName: string,
    streamType: string,
    messages: PeerMessage[],
    options: { expectedStreamVersion: bigint },
  ) => Promise<{ success: boolean }>;
}

const emmett = (): EmmettSqlite => requirePeer<EmmettSqlite>(PEER_PACKAGE);

export function peerVersion(): string {
  return peerPackageVersion(PEER_PACKAGE);
}

/** The SQLite inside the peer's driver (sqlite3 builds its own). */
export function peerSqliteVersion(): string {
  return requirePeer<{ VERSION: string }>('sqlite3').VERSION;
}

/** Runs one task at a time, in the order given. */
class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

async function openDurably(fileName: string): Promise<SQLiteConnection> {
  const { sqliteConnection, createEventStoreSchema } = emmett();
  const connection = sqliteConnection({ fileName });
  await connection.command('PRAGMA journal_mode = WAL');
  await connection.command('PRAGMA synchronous = FULL');
  await connection.command('PRAGMA busy_timeout = 5000');
  const journal = await connection.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
  const synchronous = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
  // 2 is FULL: the same durability as the ledger's own store.
  if (journal?.journal_mode !== 'wal' || synchronous?.synchronous !== 2) {
    connection.close();
    throw new Error(
      `the peer's connection did not take WAL + synchronous=FULL (journal_mode=${journal?.journal_mode}, synchronous=${synchronous?.synchronous})`,
    );
  }
  await createEventStoreSchema(connection);
  return connection;
}

export interface PeerOptions {
  dir: string;
  workload: Workload;
  concurrency: number;
  budgetSeconds: number;
  reporter: BenchConsole;
}

export async function measureEmmettAppends(options: PeerOptions): Promise<Measure> {
  const connection = await openDurably(join(options.dir, `emmett-c${options.concurrency}.sqlite`));
  const { appendToStream } = emmett();
  const queue = new OneAtATime();
  const label = `peer appends, concurrency ${options.concurrency}`;
  const progress = options.reporter.phase(label, Math.ceil(options.budgetSeconds), 's');
  try {
    const result = await driveAppends({
      workload: options.workload,
      concurrency: options.concurrency,
      appendOne: async (seizure, append) => {
        // Emmett counts a stream's version in events (0: no stream); ours counts the last revision.
        const expectedStreamVersion = append.expectedRevision === 'no_stream' ? 0n : BigInt(Number(append.expectedRevision) + 1);
        const messages = append.events.map((e) => ({
          type: e.type,
          data: e.data as Record<string, unknown>,
          metadata: { ...(e.metadata ?? {}), messageId: e.id },
        }));
        const outcome = await queue.run(() =>
          appendToStream(connection, seizure.streamName, 'seizure', messages, { expectedStreamVersion }),
        );
        if (!outcome.success) throw new Error(`the peer refused an append to ${seizure.streamName} at version ${expectedStreamVersion}`);
      },
      budgetSeconds: options.budgetSeconds,
      chunkSize: options.concurrency === 1 ? 100 : 200,
      progress,
    });
    const eventsPerSecond = rate(result.events, result.elapsedMs);
    progress.finish(`${result.events.toLocaleString('en-US')} events, ${Math.round(eventsPerSecond).toLocaleString('en-US')} events/s`);
    return {
      id: `peer.emmett-append-c${options.concurrency}`,
      group: 'peer',
      title: `Emmett SQLite ${peerVersion()} appends, concurrency ${options.concurrency}`,
      value: eventsPerSecond,
      unit: 'events/s',
      latency: result.latency,
      operations: result.events,
      durationSeconds: result.elapsedMs / 1000,
      notes: [
        result.seizures < options.workload.seizureCount
          ? `time-boxed at ${Math.round(options.budgetSeconds)} s: ${result.seizures.toLocaleString('en-US')} of ${options.workload.seizureCount.toLocaleString('en-US')} seizures`
          : `all ${result.seizures.toLocaleString('en-US')} seizures`,
        'one persistent connection, WAL + synchronous=FULL (read back)',
        ...(options.concurrency > 1 ? ['appends queue for the connection, one transaction each'] : []),
      ],
      detail: { seizures: result.seizures, appends: result.appends, version: peerVersion() },
    };
  } finally {
    connection.close();
  }
}
