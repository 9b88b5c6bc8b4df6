import type { Database } from 'better-sqlite3';

/**
 * The personal-data key file's schema, version 2. A file from a newer release is refused rather
 * than misread; a change of schema bumps the version and adds its upgrade here.
 *
 * - `subject_keys`: one live key per (seizure, subject), wrapped by the KEK. `issued_at` moves
 *   each time keyFor hands out a key no event has used yet, so a key a command is about to use
 *   is never collected as unused; `first_used_at` is set by markUsed.
 * - `key_tombstones`: what remains of a destroyed key — ids, subject and times, no key material;
 *   since version 2 also the PersonalDataErased event and order an erasure was made under.
 * - `key_store_meta`: the KEK's check value, so that a start with another KEK fails at once.
 */
export const KEY_STORE_SCHEMA_VERSION = 2;

const SCHEMA_V1 = `
  CREATE TABLE IF NOT EXISTS key_store_meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS subject_keys (
    key_id        TEXT PRIMARY KEY,
    seizure_id    TEXT NOT NULL,
    subject       TEXT NOT NULL,
    wrapped_key   BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    issued_at     TEXT NOT NULL,
    first_used_at TEXT,
    UNIQUE (seizure_id, subject)
  );
  CREATE INDEX IF NOT EXISTS subject_keys_unused ON subject_keys (issued_at) WHERE first_used_at IS NULL;
  CREATE TABLE IF NOT EXISTS key_tombstones (
    key_id       TEXT PRIMARY KEY,
    seizure_id   TEXT NOT NULL,
    subject      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    destroyed_at TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('erased', 'unused'))
  );
  CREATE INDEX IF NOT EXISTS key_tombstones_by_seizure ON key_tombstones (seizure_id, destroyed_at);
`;

/** Version 2: a tombstone names the erasure event and order (null for keys collected unused, and for erasures before). */
const UPGRADE_TO_V2 = `
  ALTER TABLE key_tombstones ADD COLUMN erasure_event_id TEXT;
  ALTER TABLE key_tombstones ADD COLUMN erasure_order_reference TEXT;
`;

export class KeyStoreSchemaTooNewError extends Error {
  override readonly name = 'KeyStoreSchemaTooNewError';
  constructor(found: number) {
    super(
      `the personal-data key file has schema version ${found}, newer than this release knows (${KEY_STORE_SCHEMA_VERSION}); upgrade the software`,
    );
  }
}

/** Creates the schema if needed, in one IMMEDIATE transaction so concurrent starts do not race. */
export function ensureKeyStoreSchema(db: Database): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > KEY_STORE_SCHEMA_VERSION) throw new KeyStoreSchemaTooNewError(current);
    db.exec(SCHEMA_V1);
    if (current < 2) db.exec(UPGRADE_TO_V2);
    if (current < KEY_STORE_SCHEMA_VERSION) db.pragma(`user_version = ${KEY_STORE_SCHEMA_VERSION}`);
  }).immediate();
}
