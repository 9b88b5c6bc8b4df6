import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { JsonObject, JsonValue } from '../../src/shared/json';
import { PROJECT_ROOT } from './server-process';

/** The data dirs kept by scripts/make-previous-release-data-dir.mjs, each with its manifest.json. */
export const DATA_DIR_FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'data-dirs');

/** What the script wrote beside the data dir: where it came from and what a reader must find in it. */
export interface PreviousReleaseManifest {
  release: string;
  commit: string;
  expected: {
    eventCount: number;
    schemaMigrations: number[];
    latestTreeHead: JsonObject & { treeSize: number; rootHash: string };
    evidencePublicKey: JsonObject & { publicKey: string };
    seizures: { cash: string; liquor: string; rejected: string };
    transfers: { cash: string; liquor: string; beer: string };
    seizedFrom: JsonObject;
    witnesses: JsonObject[];
    releasedTo: JsonObject;
    freeText: { valuationReason: string; acceptRemarks: string; correction: string };
  };
  dirs: Array<{ path: string; mode: string }>;
  files: Array<{ path: string; bytes: number; mode: string }>;
}

export function readPreviousReleaseManifest(release: string): PreviousReleaseManifest {
  return JSON.parse(readFileSync(join(DATA_DIR_FIXTURES, release, 'manifest.json'), 'utf8')) as PreviousReleaseManifest;
}

/**
 * Copies a kept data dir to `target` as the old release left it on its disk: git keeps neither
 * empty directories nor modes, so both come back from the manifest (keys 0600, attachments 0400,
 * directories 0700), which is what the server finds on a real upgrade and insists on.
 */
export function copyPreviousReleaseDataDir(manifest: PreviousReleaseManifest, target: string): void {
  mkdirSync(target, { recursive: true, mode: 0o700 });
  chmodSync(target, 0o700);
  for (const dir of manifest.dirs) mkdirSync(join(target, dir.path), { recursive: true });
  // Only the files the manifest lists: a -wal or -shm left beside the fixture by someone reading it is not part of it.
  for (const file of manifest.files) {
    copyFileSync(join(DATA_DIR_FIXTURES, manifest.release, 'data', file.path), join(target, file.path));
    chmodSync(join(target, file.path), parseInt(file.mode, 8));
  }
  for (const dir of manifest.dirs) chmodSync(join(target, dir.path), parseInt(dir.mode, 8));
}

/** One row of the events table, as stored. */
export interface StoredEventRow {
  globalPosition: number;
  streamName: string;
  eventId: string;
  type: string;
  data: JsonValue;
  metadata: JsonObject;
  prevHash: string;
  hash: string;
  envelopes: string | null;
}

/** The events table of a data dir's ledger.sqlite, read-only; `envelopes` is null where the column does not exist yet. */
export function readStoredEvents(dataDir: string): StoredEventRow[] {
  const db = new BetterSqlite3(join(dataDir, 'ledger.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const hasEnvelopes = (db.prepare('PRAGMA table_info(events)').all() as Array<{ name: string }>).some((c) => c.name === 'envelopes');
    const rows = db
      .prepare(
        `SELECT global_position, stream_name, event_id, event_type, data, metadata, prev_hash, hash,
                ${hasEnvelopes ? 'envelopes' : 'NULL AS envelopes'} FROM events ORDER BY global_position`,
      )
      .all() as Array<Record<string, string | number | null>>;
    return rows.map((r) => ({
      globalPosition: r.global_position as number,
      streamName: r.stream_name as string,
      eventId: r.event_id as string,
      type: r.event_type as string,
      data: JSON.parse(r.data as string) as JsonValue,
      metadata: JSON.parse(r.metadata as string) as JsonObject,
      prevHash: r.prev_hash as string,
      hash: r.hash as string,
      envelopes: r.envelopes as string | null,
    }));
  } finally {
    db.close();
  }
}
