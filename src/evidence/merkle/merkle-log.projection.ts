import { SEIZURE_STREAM_PREFIX } from '../../projections/projected-event';
import type { ProjectedEvent, Projection, ProjectionBatch } from '../../projections/projection';
import { SqliteMerkleTree } from './sqlite/sqlite-merkle-tree';

// The read-model connection, named through the Projection port: only sqlite/ folders import the driver.
type Database = Parameters<Projection['apply']>[0];

/** Tables `merkle_log_nodes` and `merkle_log_leaves`, beside the other read models. */
export const MERKLE_LOG_TABLE_PREFIX = 'merkle_log';

// One tree per connection, so its statements are prepared once however often apply runs.
const trees = new WeakMap<Database, SqliteMerkleTree>();

/** The Merkle log kept by `merkleLogProjection` in this database, for the query side. */
export function merkleLogTree(db: Database): SqliteMerkleTree {
  let tree = trees.get(db);
  if (tree === undefined) {
    tree = new SqliteMerkleTree(db, MERKLE_LOG_TABLE_PREFIX);
    trees.set(db, tree);
  }
  return tree;
}

/**
 * Whether an event of the store is a leaf of the Merkle log: the projector hands this projection
 * exactly the seizure streams' events (see `storedEventView`), so a verifier reading the store
 * directly must pick the same ones.
 */
export function isMerkleLogEvent(event: { streamName: string }): boolean {
  return event.streamName.startsWith(SEIZURE_STREAM_PREFIX);
}

/**
 * Appends every projected event's chain hash to the Merkle log, in global-position order: leaf i
 * is the i-th event the projector applied. A rebuild replays the same events in the same order
 * and so yields the same tree, root for root.
 */
export const merkleLogProjection: Projection = {
  name: 'merkle-log',
  // Still 1 since nodes below LOWEST_STORED_LEVEL stopped being stored: tables written with every
  // level give the same roots and proofs (their lower rows are not read), so nothing is rebuilt.
  version: 1,
  // The tree holds chain hashes only: no event this release cannot read may stop it.
  usesStoredEventOnly: true,
  setup(db: Database): void {
    merkleLogTree(db).setup();
  },
  teardown(db: Database): void {
    merkleLogTree(db).teardown();
  },
  apply(db: Database, event: ProjectedEvent): void {
    merkleLogTree(db).append([{ eventHash: event.hash, globalPosition: event.globalPosition }]);
  },
  // A batch reads the right edge of the tree once and writes each node it completes once.
  beginBatch(db: Database): ProjectionBatch {
    const appender = merkleLogTree(db).appender();
    return {
      apply: (event) => appender.append({ eventHash: event.hash, globalPosition: event.globalPosition }),
      finish: () => {
        appender.finish();
      },
    };
  },
};
