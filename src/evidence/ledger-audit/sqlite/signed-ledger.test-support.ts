import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { canonicalJson, computeEventHash } from '../../../ledger/hash-chain';
import { loadConfig } from '../../../config/app-config';
import type { EventStore } from '../../../ledger/event-store';
import { SQLITE_FILENAME, createEventStore } from '../../../ledger/ledger.module';
import { appendWorkload } from '../../../projections/projector.test-support';
import { ProjectorLock } from '../../../projections/projector-lock';
import { openReadModelDatabase, readModelDatabasePath } from '../../../projections/read-model-database';
import { rebuildProjections } from '../../../projections/rebuild';
import { FixedClock } from '../../../shared/clock';
import type { JsonValue } from '../../../shared/json';
import { EVIDENCE_KEPT_TABLES } from '../../evidence-kept-tables';
import { merkleLogProjection, merkleLogTree } from '../../merkle/merkle-log.projection';
import { loadOrCreateSigningKey } from '../../tree-heads/signing-key';
import { SqliteTreeHeadStore } from '../../tree-heads/sqlite/sqlite-tree-head-store';
import type { SignedTreeHead } from '../../tree-heads/tree-head';
import { TreeHeadSigner } from '../../tree-heads/tree-head-signer';

/**
 * Used by the ledger audit tests only (no production code imports it): a data dir as the server
 * leaves it — events appended by the real SQLite store, the Merkle log kept by its projection
 * (run by the rebuild, the projector's own batch code), heads signed by the real signer with the
 * data dir's generated key — and the ways someone with write access to that dir could tamper with it,
 * each through a separate connection while nothing else has the file open.
 */

const ledgerFile = (dataDir: string): string => join(dataDir, SQLITE_FILENAME);
/** The embedded store, opened through the port as the server opens it. */
const openStore = (dataDir: string, clock: FixedClock): EventStore =>
  createEventStore(loadConfig({ LEDGER_DATA_DIR: dataDir }, dataDir), clock);

/** Appends each round's events (seizure streams, and an unrelated stream now and then), projects them and signs a head after each. */
export async function buildSignedLedger(dataDir: string, rounds: readonly number[], seed = 1): Promise<SignedTreeHead[]> {
  const clock = new FixedClock('2024-04-20T06:00:00.000Z');
  const store = openStore(dataDir, clock);
  const db = openReadModelDatabase({ dataDir, eventStoreConnectionString: undefined }, EVIDENCE_KEPT_TABLES);
  const lock = new ProjectorLock(db, 'rebuild');
  lock.tryAcquire();
  const heads = new SqliteTreeHeadStore(db);
  heads.setup();
  const signer = new TreeHeadSigner(merkleLogTree(db), heads, loadOrCreateSigningKey({ dataDir }), clock, { intervalMs: 1000 });
  const signed: SignedTreeHead[] = [];
  try {
    for (const [round, count] of rounds.entries()) {
      await appendWorkload(store, count, { seed: seed + round, seizures: 3 });
      await rebuildProjections(db, store, [merkleLogProjection], { lock });
      clock.advance(60_000);
      const head = signer.tick();
      if (head === null) throw new Error(`no head was signed after round ${round}`);
      signed.push(head);
    }
  } finally {
    lock.release();
    db.close();
    await store.close();
  }
  return signed;
}

interface Row {
  global_position: number;
  stream_name: string;
  stream_revision: number;
  event_id: string;
  event_type: string;
  data: string;
  metadata: string;
  prev_hash: string;
  hash: string;
}

/** Runs `work` on a raw connection to the ledger file, with the append-only triggers dropped as an attacker would. */
export function tamper<T>(dataDir: string, work: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(ledgerFile(dataDir));
  try {
    db.exec('DROP TRIGGER IF EXISTS events_refuse_update; DROP TRIGGER IF EXISTS events_refuse_delete;');
    return work(db);
  } finally {
    db.close();
  }
}

/** Runs `work` on a raw connection to the read-model file (heads, key history), with the heads' append-only triggers dropped. */
export function tamperReadModels<T>(dataDir: string, work: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(readModelDatabasePath({ dataDir }));
  try {
    db.exec('DROP TRIGGER IF EXISTS tree_heads_no_update; DROP TRIGGER IF EXISTS tree_heads_no_delete;');
    return work(db);
  } finally {
    db.close();
  }
}

export function eventRows(db: BetterSqlite3.Database, where = '1 = 1'): Row[] {
  return db.prepare<[], Row>(`SELECT * FROM events WHERE ${where} ORDER BY global_position`).all();
}

/** Deletes the newest `count` event rows of the whole log. */
export function deleteNewestEvents(dataDir: string, count: number): Row[] {
  return tamper(dataDir, (db) => {
    const rows = db.prepare<[number], Row>('SELECT * FROM events ORDER BY global_position DESC LIMIT ?').all(count);
    db.prepare('DELETE FROM events WHERE global_position >= ?').run(rows[rows.length - 1].global_position);
    return rows.reverse();
  });
}

/** Cuts a stream after its first `keep` events. Returns the rows deleted. */
export function truncateStream(dataDir: string, streamName: string, keep: number): Row[] {
  return tamper(dataDir, (db) => {
    const rows = db
      .prepare<[string, number], Row>('SELECT * FROM events WHERE stream_name = ? AND stream_revision >= ? ORDER BY stream_revision')
      .all(streamName, keep);
    db.prepare('DELETE FROM events WHERE stream_name = ? AND stream_revision >= ?').run(streamName, keep);
    return rows;
  });
}

/** Changes one event's data and nothing else: its stored hash no longer matches. */
export function editEventData(dataDir: string, globalPosition: number, data: JsonValue): void {
  tamper(dataDir, (db) => db.prepare('UPDATE events SET data = ? WHERE global_position = ?').run(canonicalJson(data), globalPosition));
}

/**
 * What someone holding the whole data dir, signing key included, can do: change one event's data,
 * recompute every hash of its stream after it so each chain links again, rebuild the Merkle log
 * from the rewritten events, and replace every signed head with one of the same size and time
 * over the new tree, signed with the data dir's key.
 */
export async function rewriteLedger(dataDir: string, globalPosition: number, data: JsonValue): Promise<void> {
  tamper(dataDir, (db) => {
    const [edited] = eventRows(db, `global_position = ${globalPosition}`);
    const stream = db.prepare<[string, number], Row>(
      'SELECT * FROM events WHERE stream_name = ? AND stream_revision >= ? ORDER BY stream_revision',
    );
    const update = db.prepare('UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE global_position = ?');
    let prevHash = edited.prev_hash;
    for (const row of stream.all(edited.stream_name, edited.stream_revision)) {
      const dataText = row.global_position === globalPosition ? canonicalJson(data) : row.data;
      const hash = computeEventHash({
        streamName: row.stream_name,
        revision: row.stream_revision,
        eventId: row.event_id,
        type: row.event_type,
        dataText,
        metadataText: row.metadata,
        prevHash,
      });
      update.run(dataText, prevHash, hash, row.global_position);
      prevHash = hash;
    }
  });
  const store = openStore(dataDir, new FixedClock());
  const db = openReadModelDatabase({ dataDir, eventStoreConnectionString: undefined }, EVIDENCE_KEPT_TABLES);
  const lock = new ProjectorLock(db, 'rebuild');
  try {
    lock.tryAcquire();
    await rebuildProjections(db, store, [merkleLogProjection], { lock, restart: true });
    const key = loadOrCreateSigningKey({ dataDir });
    const heads = new SqliteTreeHeadStore(db);
    const old = heads.after('', 1_000_000);
    db.exec('DROP TRIGGER IF EXISTS tree_heads_no_delete; DELETE FROM tree_heads');
    for (const head of old) {
      heads.insert(key.sign({ treeSize: head.treeSize, rootHash: merkleLogTree(db).rootHex(head.treeSize), timestamp: head.timestamp }));
    }
  } finally {
    lock.release();
    db.close();
    await store.close();
  }
}
