import type { Database } from 'better-sqlite3';
import type { EventStore } from '../ledger/event-store';
import type { Projection } from './projection';
import { ProjectionFailedError, applyBatch, type ProjectionTarget } from './apply-batch';
import { Checkpoints, assertUniqueNames } from './checkpoints';
import type { Upcaster } from './projected-event';
import type { ProjectorLock } from './projector-lock';

/**
 * Events per transaction in a rebuild: far more than the live projector's batches, which share
 * the server's event loop. Nothing waits on a rebuild between batches but signals and progress.
 * Each commit rewrites the B-tree and index pages the batch touched to the WAL and checkpoints
 * them, so the fewer commits, the fewer times a hot page is written: measured on 40,000 events,
 * 10,000 per batch wrote 11.6 KiB per event against 21.3 KiB at 2,000 (14.7 at 5,000), with a
 * little less CPU, for about 50 MB more memory (a batch's events and what the projections keep
 * for its end). An interruption loses at most one batch, continued on the next run.
 */
export const DEFAULT_REBUILD_BATCH_SIZE = 10_000;

export interface RebuildProgress {
  /** Events read from the log in this run. */
  done: number;
  /** Events this run has to read, where the store can tell (dense positions); else null. */
  total: number | null;
  /** Where the run started, where it is, and the log's head when it started. */
  fromPosition: number;
  position: number;
  headPosition: number;
}

export interface RebuildOptions {
  /** Held by the caller; renewed in every batch, so a rebuild that lost it commits nothing more. */
  lock: ProjectorLock;
  batchSize?: number;
  /** Start from zero even where an interrupted rebuild could be continued. */
  restart?: boolean;
  upcast?: Upcaster;
  onProgress?: (progress: RebuildProgress) => void;
  log?: (message: string) => void;
  /** Aborting stops after the batch in progress; re-running continues from there. */
  signal?: AbortSignal;
}

export interface RebuildResult {
  projections: Array<{ name: string; resumedFrom: number | null }>;
  fromPosition: number;
  position: number;
  events: number;
  /** True when stopped by the signal before reaching the end of the log. */
  interrupted: boolean;
}

interface IndexDefinition {
  name: string;
  sql: string;
}

/** The database's explicit indexes (not those SQLite makes for PRIMARY KEY and UNIQUE columns). */
function indexes(db: Database): IndexDefinition[] {
  return db.prepare<[], IndexDefinition>(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`).all();
}

/**
 * Drops the non-unique indexes a projection's `setup` just created (those not in `before`) and
 * returns the statements that create them again. Such an index only serves queries: maintained
 * row by row through a rebuild it costs a random B-tree insert per row, built once at the end it is
 * one sorted pass, with the same result. Unique indexes stay: they are constraints, checked as
 * each event is applied. If the rebuild is interrupted, a server start runs `setup` again, whose
 * CREATE INDEX IF NOT EXISTS puts them back before anything else happens; so does the next
 * `rebuild`, which then puts them aside again until its end.
 */
function deferQueryIndexes(db: Database, before: ReadonlySet<string>): string[] {
  const deferred: string[] = [];
  for (const index of indexes(db)) {
    if (before.has(index.name) || /^\s*CREATE\s+UNIQUE\b/i.test(index.sql)) continue;
    db.exec(`DROP INDEX "${index.name.replace(/"/g, '""')}"`);
    deferred.push(index.sql);
  }
  return deferred;
}

interface PreparedTarget {
  target: ProjectionTarget;
  /** The position an interrupted rebuild continues from; null when it starts over. */
  resumedFrom: number | null;
}

/**
 * Resets each projection that does not continue an interrupted rebuild, marks it 'rebuilding', and
 * puts its query indexes aside (to be built once at the end, from the returned statements): all of
 * them when it starts over, those the interrupted run had put aside when it continues.
 */
function prepareTargets(
  db: Database,
  checkpoints: Checkpoints,
  projections: readonly Projection[],
  options: RebuildOptions,
): { prepared: PreparedTarget[]; deferredIndexes: string[] } {
  const deferredIndexes: string[] = [];
  const prepared = db
    .transaction(() => {
      options.lock.renew();
      return projections.map((projection): PreparedTarget => {
        const stored = checkpoints.get(projection.name);
        const resumable = options.restart !== true && stored?.status === 'rebuilding' && stored.version === projection.version;
        // Dropped anyway by the reset; dropping first tells this projection's indexes apart.
        if (!resumable) projection.teardown(db);
        // Continuing, the indexes `setup` puts back are those the interrupted run had put aside.
        const before = new Set(indexes(db).map((i) => i.name));
        const checkpoint = checkpoints.prepare(projection, { reset: !resumable });
        deferredIndexes.push(...deferQueryIndexes(db, before));
        const target: ProjectionTarget = { projection, position: checkpoint.position, status: 'rebuilding' };
        return { target, resumedFrom: resumable ? checkpoint.position : null };
      });
    })
    .immediate();
  return { prepared, deferredIndexes };
}

/**
 * Rebuilds read models from the log with the same batch application the live projector uses,
 * so the rows come out identical. A projection is reset and marked 'rebuilding' unless it is
 * already 'rebuilding' at its current version (an earlier run was interrupted): then it continues
 * from its last committed batch. Each batch commits its checkpoint, so a kill loses at most the
 * batch in progress. At the end of the log every projection is marked 'live'. A projection that
 * throws on an event is marked failed there and the others go on; the rebuild then throws its
 * ProjectionFailedError (the first one's) after the others were marked live.
 */
export async function rebuildProjections(
  db: Database,
  store: EventStore,
  projections: readonly Projection[],
  options: RebuildOptions,
): Promise<RebuildResult> {
  assertUniqueNames(projections);
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? DEFAULT_REBUILD_BATCH_SIZE;
  const checkpoints = new Checkpoints(db);

  const { prepared, deferredIndexes } = prepareTargets(db, checkpoints, projections, options);
  for (const { target, resumedFrom } of prepared) {
    log(
      resumedFrom === null
        ? `${target.projection.name}: rebuilding from the start of the log`
        : `${target.projection.name}: continuing an interrupted rebuild from position ${resumedFrom}`,
    );
  }
  const targets = prepared.map((p) => p.target);

  const health = await store.health();
  if (!health.reachable) throw new Error(`the event store is unreachable: ${health.detail ?? 'no detail'}`);
  const headPosition = health.lastGlobalPosition ?? 0;
  const fromPosition = targets.length === 0 ? headPosition : Math.min(...targets.map((t) => t.position));
  // SQLite positions are dense (1, 2, 3, …): the distance is the number of events.
  const total = store.kind === 'sqlite' ? Math.max(0, headPosition - fromPosition) : null;

  let position = fromPosition;
  let done = 0;
  let interrupted = false;
  const failures: ProjectionFailedError[] = [];
  options.onProgress?.({ done, total, fromPosition, position, headPosition });
  for (;;) {
    if (options.signal?.aborted === true) {
      interrupted = true;
      break;
    }
    const page = await store.readAll({ fromPosition: position, maxCount: batchSize });
    if (page.length === 0) break;
    for (const { target, error } of applyBatch(db, checkpoints, targets, page, { lock: options.lock, upcast: options.upcast })) {
      log(`${target.projection.name}: ${error.message}; it stays failed at position ${target.position}, the others go on`);
      failures.push(error);
    }
    done += page.length;
    position = page[page.length - 1].globalPosition;
    options.onProgress?.({ done, total, fromPosition, position, headPosition });
    // A macrotask turn per batch, so signals and timers are served during a long rebuild.
    await new Promise((resolve) => setImmediate(resolve));
  }

  if (!interrupted) {
    db.transaction(() => {
      options.lock.renew();
      for (const sql of deferredIndexes) db.exec(sql);
      for (const t of targets) if (t.failure === undefined) checkpoints.markLive(t.projection.name);
    }).immediate();
  }
  // The others are rebuilt and live; the command still fails, naming the first read model that threw.
  if (failures.length > 0) throw failures[0];
  return {
    projections: prepared.map(({ target, resumedFrom }) => ({ name: target.projection.name, resumedFrom })),
    fromPosition,
    position,
    events: done,
    interrupted,
  };
}
