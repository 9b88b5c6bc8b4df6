import { existsSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { MERKLE_LOG_TABLE_PREFIX } from '../../merkle/merkle-log.projection';
import { SqliteMerkleTree } from '../../merkle/sqlite/sqlite-merkle-tree';
import { keyHistoryOf, type LogKeyHistoryEntry } from '../../tree-heads/log-key-history';
import { SqliteLogKeyStore } from '../../tree-heads/sqlite/sqlite-log-key-store';
import { SqliteTreeHeadStore } from '../../tree-heads/sqlite/sqlite-tree-head-store';
import type { SignedTreeHead } from '../../tree-heads/tree-head';
import type { MerkleReference } from '../head-audit';

const HEADS_PAGE = 1000;

/** What the data dir's read-model database says about the log: its signed heads and its Merkle table. */
export interface DataDirEvidence {
  /** Every stored head, oldest first; empty when none was ever signed. */
  heads: SignedTreeHead[];
  /** The log's key history (table log_keys), oldest first; empty before the server first ran with key rotation. */
  keyHistory: LogKeyHistoryEntry[];
  /** The Merkle table, when it exists; used only to name the first leaf that differs. */
  merkle: MerkleReference | undefined;
  close(): void;
}

/**
 * Opens the read-model database read-only (a verifier changes nothing, not even a schema);
 * null when the file does not exist.
 */
export function openDataDirEvidence(path: string): DataDirEvidence | null {
  if (!existsSync(path)) return null;
  const db: Database = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const tables = new Set(
      db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .all()
        .map((row) => row.name),
    );
    const heads: SignedTreeHead[] = [];
    let keyHistory: LogKeyHistoryEntry[] = [];
    if (tables.has('tree_heads')) {
      const store = new SqliteTreeHeadStore(db);
      for (let after = ''; ;) {
        const page = store.after(after, HEADS_PAGE);
        heads.push(...page);
        if (page.length < HEADS_PAGE) break;
        after = page[page.length - 1].timestamp;
      }
      keyHistory = keyHistoryOf(new SqliteLogKeyStore(db).all(), (timestamp) => store.at(timestamp));
    }
    const hasTable = tables.has(`${MERKLE_LOG_TABLE_PREFIX}_nodes`) && tables.has(`${MERKLE_LOG_TABLE_PREFIX}_leaves`);
    const merkle = hasTable ? new SqliteMerkleTree(db, MERKLE_LOG_TABLE_PREFIX) : undefined;
    return { heads, keyHistory, merkle, close: () => db.close() };
  } catch (error) {
    db.close();
    throw error;
  }
}
