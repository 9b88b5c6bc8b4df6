import type { Database } from 'better-sqlite3';

/**
 * The idempotency file's schema. It holds only short-lived records, so there are no migrations
 * to replay: version 1 is created if missing, and a file from a newer release is refused rather
 * than misread. A change of schema bumps the version and adds its upgrade here.
 */
export const IDEMPOTENCY_SCHEMA_VERSION = 1;

const SCHEMA_V1 = `
  CREATE TABLE IF NOT EXISTS idempotency_records (
    subject          TEXT    NOT NULL,
    method           TEXT    NOT NULL,
    path             TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL,
    fingerprint      TEXT    NOT NULL CHECK (length(fingerprint) = 64),
    -- A random token per claim: only the request that claimed a record may complete or release it.
    claim_token      TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('in_progress', 'completed')),
    created_at       TEXT    NOT NULL,
    expires_at       TEXT    NOT NULL,
    lease_expires_at TEXT,
    completed_at     TEXT,
    response_status  INTEGER CHECK (response_status BETWEEN 100 AND 599),
    response_headers TEXT,
    response_body    BLOB,
    -- What makes claiming atomic across processes: INSERT … ON CONFLICT on this key.
    UNIQUE (subject, method, path, idempotency_key),
    CHECK (state = 'in_progress' OR (response_status IS NOT NULL AND response_headers IS NOT NULL AND response_body IS NOT NULL))
  );
  CREATE INDEX IF NOT EXISTS idempotency_records_by_expiry ON idempotency_records (expires_at);
`;

export class IdempotencySchemaTooNewError extends Error {
  constructor(found: number) {
    super(
      `the idempotency file has schema version ${found}, newer than this release knows (${IDEMPOTENCY_SCHEMA_VERSION}); ` +
        'upgrade the software',
    );
    this.name = 'IdempotencySchemaTooNewError';
  }
}

/** Creates the schema if needed, in one IMMEDIATE transaction so concurrent starts do not race. */
export function ensureIdempotencySchema(db: Database, now: string): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_schema_version (
      version    INTEGER PRIMARY KEY,
      applied_at TEXT NOT NULL
    )`);
    const current = (db.prepare('SELECT coalesce(max(version), 0) AS v FROM idempotency_schema_version').get() as { v: number }).v;
    if (current > IDEMPOTENCY_SCHEMA_VERSION) throw new IdempotencySchemaTooNewError(current);
    db.exec(SCHEMA_V1);
    if (current < IDEMPOTENCY_SCHEMA_VERSION) {
      db.prepare('INSERT INTO idempotency_schema_version (version, applied_at) VALUES (?, ?)').run(IDEMPOTENCY_SCHEMA_VERSION, now);
    }
  }).immediate();
}
