import type { Database } from 'better-sqlite3';
import { openDurableDatabase, setPageCache, SMALL_PAGE_CACHE_KIB } from '../../../../platform/sqlite/durable-database';
import { STORED_BUNDLE_FORMAT, type KeyShare, type StoredBundleForm } from '../stored-bundle-sealing';
import type { StoredBundleRecord, StoredBundleStore } from '../stored-bundle-store';

/**
 * Schema version 1. `body` is the deflated bundle, encrypted when `body_nonce`/`body_tag` are set
 * (then `shares` lists the key shares, JSON), in clear when they are null.
 */
const SCHEMA_VERSION = 1;
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS stored_bundles (
    bundle_hash TEXT PRIMARY KEY,
    seizure_id  TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    format      TEXT NOT NULL,
    body        BLOB NOT NULL,
    body_nonce  TEXT,
    body_tag    TEXT,
    shares      TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS stored_bundles_by_seizure ON stored_bundles (seizure_id, issued_at);
`;

interface Row {
  bundle_hash: string;
  seizure_id: string;
  issued_at: string;
  format: string;
  body: Buffer;
  body_nonce: string | null;
  body_tag: string | null;
  shares: string;
}

export class StoredBundleSchemaTooNewError extends Error {
  override readonly name = 'StoredBundleSchemaTooNewError';
}

/** The stored bundles in an SQLite file of their own (WAL, synchronous=FULL, mode 0600). */
export class SqliteStoredBundleStore implements StoredBundleStore {
  private closed = false;

  private constructor(private readonly db: Database) {}

  static open(filename: string): SqliteStoredBundleStore {
    const db = openDurableDatabase(filename, (connection) => {
      connection
        .transaction(() => {
          const current = connection.pragma('user_version', { simple: true }) as number;
          if (current > SCHEMA_VERSION) {
            throw new StoredBundleSchemaTooNewError(
              `${filename} has schema version ${current}, newer than this release knows (${SCHEMA_VERSION}); upgrade the software`,
            );
          }
          connection.exec(SCHEMA);
          if (current < SCHEMA_VERSION) connection.pragma(`user_version = ${SCHEMA_VERSION}`);
        })
        .immediate();
    });
    // One row per bundle, read by its key: the OS's file cache serves a repeated read as well.
    setPageCache(db, SMALL_PAGE_CACHE_KIB);
    return new SqliteStoredBundleStore(db);
  }

  put(record: StoredBundleRecord): Promise<void> {
    const { form, issuedAt } = record;
    const sealed = 'sealed' in form.body ? form.body.sealed : undefined;
    this.db
      .prepare(
        `INSERT INTO stored_bundles (bundle_hash, seizure_id, issued_at, format, body, body_nonce, body_tag, shares)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bundle_hash) DO NOTHING`,
      )
      .run(
        form.bundleHash,
        form.seizureId,
        issuedAt,
        form.format,
        'clear' in form.body ? form.body.clear : Buffer.from(form.body.sealed.ciphertext, 'base64'),
        sealed?.nonce ?? null,
        sealed?.tag ?? null,
        JSON.stringify(form.shares),
      );
    return Promise.resolve();
  }

  get(bundleHash: string): Promise<StoredBundleRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM stored_bundles WHERE bundle_hash = ?').get(bundleHash) as Row | undefined;
    return Promise.resolve(row === undefined ? undefined : recordOf(row));
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }
}

function recordOf(row: Row): StoredBundleRecord {
  if (row.format !== STORED_BUNDLE_FORMAT)
    throw new StoredBundleSchemaTooNewError(`stored bundle ${row.bundle_hash} is of unknown format ${row.format}`);
  const body =
    row.body_nonce === null || row.body_tag === null
      ? { clear: row.body }
      : { sealed: { nonce: row.body_nonce, ciphertext: row.body.toString('base64'), tag: row.body_tag } };
  const form: StoredBundleForm = {
    format: STORED_BUNDLE_FORMAT,
    bundleHash: row.bundle_hash,
    seizureId: row.seizure_id,
    body,
    shares: JSON.parse(row.shares) as KeyShare[],
  };
  return { form, issuedAt: row.issued_at };
}
