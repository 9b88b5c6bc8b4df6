import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { copyPreviousReleaseDataDir, readPreviousReleaseManifest } from '../../test/support/previous-release-data-dir';
import { SQLITE_FILENAME } from '../ledger/ledger.module';
import { openDurableDatabase } from '../platform/sqlite/durable-database';
import { prepareReadModelSchema } from '../projections/checkpoints';
import type { KeptTable } from '../projections/kept-tables';
import { keptTablesDatabasePath, openReadModelDatabase, READ_MODELS_FILENAME } from '../projections/read-model-database';
import { EVIDENCE_KEPT_TABLES } from './evidence-kept-tables';
import { SqliteLogKeyStore } from './tree-heads/sqlite/sqlite-log-key-store';
import { SqliteTreeHeadStore } from './tree-heads/sqlite/sqlite-tree-head-store';
import { SqliteCosignatureStore } from './witnessing/sqlite/sqlite-cosignature-store';

const KEPT = EVIDENCE_KEPT_TABLES.map((t) => t.name);

/** Every row of a table with each value's type and exact bytes, in stored order: what "copied byte for byte" compares. */
function exactRows(file: string, table: string): string[][] {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
    const cells = columns.map((c) => `typeof(${c}) || ':' || coalesce(hex(${c}), '')`).join(', ');
    return db.prepare(`SELECT rowid, ${cells} FROM ${table} ORDER BY rowid`).raw().all() as string[][];
  } finally {
    db.close();
  }
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8).padStart(4, '0');

/** A ledger.sqlite as the releases before read-models.sqlite left it: read models and kept tables beside the events. */
function writeOldLedger(dataDir: string): void {
  const db = openDurableDatabase(join(dataDir, SQLITE_FILENAME), prepareReadModelSchema);
  try {
    db.exec('CREATE TABLE events (global_position INTEGER PRIMARY KEY, data TEXT)');
    db.exec(`CREATE TABLE seizure_search_seizures (seizure_id TEXT PRIMARY KEY)`);
    const heads = new SqliteTreeHeadStore(db);
    heads.setup();
    const logKey = { keyId: 'k1', publicKey: 'cHViLWtleS0x', validFrom: '2024-04-20T00:00:00.000Z', announcedAt: null };
    new SqliteLogKeyStore(db).setup();
    new SqliteLogKeyStore(db).insert(logKey);
    new SqliteLogKeyStore(db).insert({ ...logKey, keyId: 'k2', publicKey: 'cHViLWtleS0y', validFrom: '2024-04-21T00:00:00.001Z' });
    const head = {
      logId: 'log',
      keyId: 'k1',
      rootHash: 'ab'.repeat(32),
      signature: 'c2ln',
      treeSize: 3,
      timestamp: '2024-04-20T06:00:00.000Z',
    };
    heads.insert(head, 'origin\n3\nq83v\n\n— origin c2ln\n');
    heads.insert({
      ...head,
      treeSize: 7,
      timestamp: '2024-04-21T00:00:00.000Z',
      nextKey: { publicKey: 'cHViLWtleS0y', validFrom: '2024-04-21T00:00:00.001Z' },
    });
    const cosignatures = new SqliteCosignatureStore(db);
    cosignatures.setup();
    const cosigned = {
      checkpoint: 'origin\n3\nq83v\n',
      treeSize: 3,
      witness: 'w.example',
      verifierKey: 'w+1+abc',
      signatureLine: '— w.example c2ln',
    };
    cosignatures.insert(cosigned, '2024-04-20T06:00:01.000Z');
    cosignatures.insert({ ...cosigned, verifierKey: 'w+2+def' }, '2024-04-20T06:00:02.000Z');
  } finally {
    db.close();
  }
}

describe('the kept tables carried over from ledger.sqlite into read-models.sqlite (real SQLite files)', () => {
  let dataDir: string;
  let logged: string[];
  const config = () => ({ dataDir, eventStoreConnectionString: undefined });
  const ledger = () => join(dataDir, SQLITE_FILENAME);
  const readModels = () => join(dataDir, READ_MODELS_FILENAME);
  const open = (kept: readonly KeptTable[] = EVIDENCE_KEPT_TABLES): Database =>
    openReadModelDatabase(config(), kept, (m) => logged.push(m));
  const openAndClose = (kept?: readonly KeptTable[]) => open(kept).close();

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-kept-tables-'));
    logged = [];
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('copies every kept row byte for byte, same seq, and logs it once with the counts', () => {
    writeOldLedger(dataDir);
    const before = Object.fromEntries(KEPT.map((t) => [t, exactRows(ledger(), t)]));
    expect(before.tree_heads).toHaveLength(2);

    openAndClose();

    for (const table of KEPT) expect({ table, rows: exactRows(readModels(), table) }).toEqual({ table, rows: before[table] });
    expect(logged).toEqual([
      `carried over from ledger.sqlite into read-models.sqlite: 2 rows of tree_heads, 2 rows of log_keys, 2 rows of checkpoint_cosignatures (ledger.sqlite left unchanged)`,
    ]);
    // The stores read them back, and the next head continues the old sequence.
    const db = open();
    try {
      const heads = new SqliteTreeHeadStore(db);
      expect(heads.latest()).toMatchObject({ treeSize: 7, nextKey: { publicKey: 'cHViLWtleS0y' } });
      expect(heads.checkpointAtSize(3)).toBe('origin\n3\nq83v\n\n— origin c2ln\n');
      heads.insert({ logId: 'log', rootHash: 'cd'.repeat(32), signature: 'c2ln', treeSize: 9, timestamp: '2024-04-22T00:00:00.000Z' });
      expect(db.prepare('SELECT MAX(seq) AS seq FROM tree_heads').get()).toEqual({ seq: 3 });
      expect(new SqliteCosignatureStore(db).latestSizeCosignedBy('w+2+def')).toBe(3);
    } finally {
      db.close();
    }
  });

  it('does it once: later opens copy nothing more and log nothing, even when ledger.sqlite changes afterwards', () => {
    writeOldLedger(dataDir);
    openAndClose();
    openAndClose();
    const raw = new BetterSqlite3(ledger());
    raw.prepare(`INSERT INTO log_keys (key_id, public_key, valid_from) VALUES ('late', 'x', '2025-01-01T00:00:00.000Z')`).run();
    raw.close();
    openAndClose();
    expect(logged).toHaveLength(1);
    expect(exactRows(readModels(), 'log_keys')).toHaveLength(2);
    const marks = new BetterSqlite3(readModels(), { readonly: true });
    expect(marks.prepare('SELECT name, rows FROM kept_tables_carried_over ORDER BY name').all()).toEqual([
      { name: 'checkpoint_cosignatures', rows: 2 },
      { name: 'log_keys', rows: 2 },
      { name: 'tree_heads', rows: 2 },
    ]);
    marks.close();
  });

  it('never writes ledger.sqlite: the file hashes the same, and its old tables stay for the release before', () => {
    writeOldLedger(dataDir);
    expect(existsSync(`${ledger()}-wal`)).toBe(false);
    const hash = sha256(ledger());
    const readModelTables = exactRows(ledger(), 'projection_checkpoints');

    openAndClose();
    openAndClose();

    expect(sha256(ledger())).toBe(hash);
    // A read-only connection may leave an empty -wal behind; it holds no frame that could change the file.
    if (existsSync(`${ledger()}-wal`)) expect(statSync(`${ledger()}-wal`).size).toBe(0);
    for (const table of KEPT) expect(exactRows(ledger(), table)).toHaveLength(2);
    expect(exactRows(ledger(), 'projection_checkpoints')).toEqual(readModelTables);
  });

  it('creates read-models.sqlite and its -wal and -shm private (0600), whatever the umask', () => {
    writeOldLedger(dataDir);
    const umask = process.umask(0o022);
    try {
      const db = open();
      try {
        db.prepare(`INSERT INTO projection_checkpoints (name, version, position, status) VALUES ('x', 1, 0, 'live')`).run();
        expect({ main: mode(readModels()), wal: mode(`${readModels()}-wal`), shm: mode(`${readModels()}-shm`) }).toEqual({
          main: '0600',
          wal: '0600',
          shm: '0600',
        });
      } finally {
        db.close();
      }
    } finally {
      process.umask(umask);
    }
  });

  it('completes on the next open after a start that created the file but never committed the copy', () => {
    writeOldLedger(dataDir);
    // A release opener without the list (or a crash before the copy): the file exists with the projector's tables only.
    openAndClose([]);
    expect(existsSync(readModels())).toBe(true);
    // A crash inside the copy: the transaction rolls back, leaving no row and no record.
    const crashing: KeptTable[] = [
      EVIDENCE_KEPT_TABLES[0],
      {
        name: EVIDENCE_KEPT_TABLES[1].name,
        setup: () => {
          throw new Error('killed mid-copy');
        },
      },
    ];
    expect(() => openAndClose(crashing)).toThrow('killed mid-copy');
    const half = new BetterSqlite3(readModels(), { readonly: true });
    const tables = (half.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
    half.close();
    expect(tables).not.toContain('tree_heads');
    expect(tables).not.toContain('kept_tables_carried_over');
    expect(logged).toEqual([]);

    openAndClose();

    for (const table of KEPT) expect(exactRows(readModels(), table)).toEqual(exactRows(ledger(), table));
    expect(logged).toHaveLength(1);
  });

  it('carries over the heads of a table from before checkpoints and key rotation, their later columns NULL', () => {
    const old = new BetterSqlite3(ledger());
    old.exec(`CREATE TABLE tree_heads (seq INTEGER PRIMARY KEY AUTOINCREMENT, tree_size INTEGER NOT NULL, root_hash TEXT NOT NULL,
              timestamp TEXT NOT NULL UNIQUE, log_id TEXT NOT NULL, signature TEXT NOT NULL)`);
    old
      .prepare('INSERT INTO tree_heads (tree_size, root_hash, timestamp, log_id, signature) VALUES (?, ?, ?, ?, ?)')
      .run(4, 'ef'.repeat(32), '2024-04-19T00:00:00.000Z', 'log', 'c2ln');
    old.close();

    const db = open();
    try {
      expect(new SqliteTreeHeadStore(db).latest()).toEqual({
        logId: 'log',
        treeSize: 4,
        rootHash: 'ef'.repeat(32),
        timestamp: '2024-04-19T00:00:00.000Z',
        signature: 'c2ln',
      });
      expect(new SqliteTreeHeadStore(db).latestCheckpoint()).toBeUndefined();
    } finally {
      db.close();
    }
    expect(logged).toEqual(['carried over from ledger.sqlite into read-models.sqlite: 1 row of tree_heads (ledger.sqlite left unchanged)']);
  });

  it('refuses to merge two histories: heads in read-models.sqlite not carried over, and heads in ledger.sqlite', () => {
    writeOldLedger(dataDir);
    const stray = open([]);
    const heads = new SqliteTreeHeadStore(stray);
    heads.setup();
    heads.insert({ logId: 'other', rootHash: '00'.repeat(32), signature: 'c2ln', treeSize: 1, timestamp: '2024-01-01T00:00:00.000Z' });
    stray.close();

    expect(() => openAndClose()).toThrow(
      'cannot carry tree_heads over from ledger.sqlite: read-models.sqlite already holds 1 row(s) of its own',
    );
    expect(exactRows(readModels(), 'tree_heads')).toHaveLength(1);
  });

  it('starts a data dir of this release quietly: nothing to carry over, the record written all the same', () => {
    openAndClose();
    expect(logged).toEqual([]);
    expect(existsSync(ledger())).toBe(false);
    const db = new BetterSqlite3(readModels(), { readonly: true });
    expect(db.prepare('SELECT name, rows FROM kept_tables_carried_over ORDER BY name').all()).toEqual(
      [...KEPT].sort().map((name) => ({ name, rows: 0 })),
    );
    db.close();
  });

  it('leaves everything alone with EventStoreDB: the read models were always in their own file there', () => {
    writeOldLedger(dataDir);
    openReadModelDatabase({ dataDir, eventStoreConnectionString: 'esdb://localhost:2113' }, EVIDENCE_KEPT_TABLES, (m) =>
      logged.push(m),
    ).close();
    expect(logged).toEqual([]);
    const db = new BetterSqlite3(readModels(), { readonly: true });
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('tree_heads', 'kept_tables_carried_over')`).all()).toEqual([]);
    db.close();
  });

  it('tells the verifier where the kept tables are, read-only: ledger.sqlite until this release opened the data dir', () => {
    writeOldLedger(dataDir);
    expect(keptTablesDatabasePath(config(), EVIDENCE_KEPT_TABLES)).toBe(ledger());
    expect(existsSync(readModels())).toBe(false);
    openAndClose([]);
    expect(keptTablesDatabasePath(config(), EVIDENCE_KEPT_TABLES)).toBe(ledger());
    openAndClose();
    expect(keptTablesDatabasePath(config(), EVIDENCE_KEPT_TABLES)).toBe(readModels());
    expect(keptTablesDatabasePath({ dataDir, eventStoreConnectionString: 'esdb://localhost:2113' }, EVIDENCE_KEPT_TABLES)).toBe(
      readModels(),
    );
  });

  it("carries over the previous release's data dir: its two signed heads and its key", () => {
    const manifest = readPreviousReleaseManifest('f330f65-before-sealing');
    copyPreviousReleaseDataDir(manifest, dataDir);
    const hash = sha256(ledger());
    const heads = exactRows(ledger(), 'tree_heads');

    openAndClose();

    expect(exactRows(readModels(), 'tree_heads')).toEqual(heads);
    expect(exactRows(readModels(), 'log_keys')).toEqual(exactRows(ledger(), 'log_keys'));
    expect(logged).toEqual([
      'carried over from ledger.sqlite into read-models.sqlite: 2 rows of tree_heads, 1 row of log_keys, 0 rows of checkpoint_cosignatures (ledger.sqlite left unchanged)',
    ]);
    expect(sha256(ledger())).toBe(hash);
    expect(mode(readModels())).toBe('0600');
  });
});
