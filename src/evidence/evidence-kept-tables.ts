import type { KeptTable } from '../projections/kept-tables';
import { SqliteLogKeyStore } from './tree-heads/sqlite/sqlite-log-key-store';
import { SqliteTreeHeadStore } from './tree-heads/sqlite/sqlite-tree-head-store';
import { SqliteCosignatureStore } from './witnessing/sqlite/sqlite-cosignature-store';

/**
 * The evidence side's tables in the read-model database that are signed or received at a time and
 * cannot be derived from the log again: never dropped by a rebuild, carried over from ledger.sqlite
 * where releases before read-models.sqlite kept them.
 */
export const EVIDENCE_KEPT_TABLES: readonly KeptTable[] = [
  { name: 'tree_heads', setup: (db) => new SqliteTreeHeadStore(db).setup() },
  { name: 'log_keys', setup: (db) => new SqliteLogKeyStore(db).setup() },
  { name: 'checkpoint_cosignatures', setup: (db) => new SqliteCosignatureStore(db).setup() },
];
