import { existsSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';

/**
 * A table of the read-model database that is not derived from the log and so cannot be rebuilt
 * (signed tree heads, the log's key history, witness cosignatures). The feature that owns it
 * declares it; the composition root and the command line hand the list to the opener.
 */
export interface KeptTable {
  readonly name: string;
  /** Creates the table (and adds later columns) exactly as its store does. */
  setup(db: Database): void;
}

/** One row per kept table received from ledger.sqlite (rows 0 when there was none): written once, in the copy's transaction. */
const CARRIED_OVER_SCHEMA = `
  CREATE TABLE IF NOT EXISTS kept_tables_carried_over (
    name       TEXT    PRIMARY KEY,
    rows       INTEGER NOT NULL CHECK (rows >= 0),
    carried_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
`;

type CopiedRow = unknown[];

const quoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function columnsOf(db: Database, table: string): string[] {
  return db
    .prepare<[], { name: string }>(`PRAGMA table_info(${quoted(table)})`)
    .all()
    .map((c) => c.name);
}

function tablesOf(db: Database): Set<string> {
  return new Set(
    db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .all()
      .map((row) => row.name),
  );
}

function carriedOver(db: Database): Set<string> {
  if (!tablesOf(db).has('kept_tables_carried_over')) return new Set();
  return new Set(
    db
      .prepare<[], { name: string }>('SELECT name FROM kept_tables_carried_over')
      .all()
      .map((row) => row.name),
  );
}

/** True once every one of `kept` was received (nothing more to carry over into this database). */
export function keptTablesCarriedOver(db: Database, kept: readonly KeptTable[]): boolean {
  const done = carriedOver(db);
  return kept.every((table) => done.has(table.name));
}

/** A kept table as the old file holds it: its columns and every row, values exactly as stored (64-bit integers, bytes). */
interface SourceTable {
  columns: string[];
  rows: CopiedRow[];
}

/** Reads the kept tables present in `ledgerFile` through a read-only connection: the file is never written. */
function readSource(ledgerFile: string, names: readonly string[]): Map<string, SourceTable> {
  const found = new Map<string, SourceTable>();
  if (!existsSync(ledgerFile)) return found;
  const source = new BetterSqlite3(ledgerFile, { readonly: true, fileMustExist: true });
  try {
    source.transaction(() => {
      const present = tablesOf(source);
      for (const name of names) {
        if (!present.has(name)) continue;
        const columns = columnsOf(source, name);
        const select = source.prepare(`SELECT ${columns.map(quoted).join(', ')} FROM ${quoted(name)} ORDER BY rowid`);
        found.set(name, { columns, rows: select.raw(true).safeIntegers(true).all() as CopiedRow[] });
      }
    })();
  } finally {
    source.close();
  }
  return found;
}

function copyRows(db: Database, name: string, source: SourceTable): void {
  const target = new Set(columnsOf(db, name));
  const lost = source.columns.filter((c) => !target.has(c));
  if (lost.length > 0) throw new Error(`cannot carry ${name} over from ledger.sqlite: the new table lacks its columns ${lost.join(', ')}`);
  if (source.rows.length === 0) return;
  const held = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${quoted(name)}`).get()?.n ?? 0;
  // Two histories of one table (a data dir switched between stores, or a file copied in): merging them is for a human to decide.
  if (held > 0) {
    throw new Error(
      `cannot carry ${name} over from ledger.sqlite: read-models.sqlite already holds ${held} row(s) of its own there; ` +
        'keep the data dir as it is and decide which of the two histories is its own',
    );
  }
  const insert = db.prepare(
    `INSERT INTO ${quoted(name)} (${source.columns.map(quoted).join(', ')}) VALUES (${source.columns.map(() => '?').join(', ')})`,
  );
  for (const row of source.rows) insert.run(...row);
}

/**
 * Gives the read-model database the kept tables a release before read-models.sqlite left in
 * ledger.sqlite: each table is created by its own setup(), the old rows are copied as stored
 * (same seq, same bytes), and a row in kept_tables_carried_over records it — all in one write
 * transaction, so a crash leaves either nothing (the next open copies again) or everything. Done
 * once per table: a later open finds the record and reads nothing. ledger.sqlite is only read;
 * its old tables stay there, so the release before can still run on the data dir. Returns the
 * rows copied per table found in ledger.sqlite (empty when it held none), or null when every
 * table had been carried over before.
 */
export function carryOverKeptTables(db: Database, ledgerFile: string, kept: readonly KeptTable[]): Map<string, number> | null {
  if (kept.length === 0 || keptTablesCarriedOver(db, kept)) return null;
  return db
    .transaction(() => {
      db.exec(CARRIED_OVER_SCHEMA);
      const done = carriedOver(db);
      const pending = kept.filter((table) => !done.has(table.name));
      if (pending.length === 0) return null;
      const source = readSource(
        ledgerFile,
        pending.map((table) => table.name),
      );
      const copied = new Map<string, number>();
      const record = db.prepare<[string, number]>('INSERT INTO kept_tables_carried_over (name, rows) VALUES (?, ?)');
      for (const table of pending) {
        table.setup(db);
        const found = source.get(table.name);
        if (found !== undefined) {
          copyRows(db, table.name, found);
          copied.set(table.name, found.rows.length);
        }
        record.run(table.name, found?.rows.length ?? 0);
      }
      return copied;
    })
    .immediate();
}
