import type { Database } from 'better-sqlite3';
import { keyedFingerprint, type IdempotencyKeys } from '../idempotency-secret';
import { sealResponse } from '../sealed-response';

/**
 * The idempotency file's schema. A file from a newer release is refused rather than misread.
 *
 * Version 2 keeps no request body or response in clear: a keyed fingerprint of the request and
 * the response sealed with AES-256-GCM (see sealed-response.ts). Version 1 kept a bare SHA-256
 * fingerprint and the response in clear; its live records are rewritten in place (fingerprint
 * keyed, response sealed), so a retry across the upgrade is still recognised and replayed, and
 * the file is then vacuumed so that no page of it, nor of its WAL, holds the old clear copies.
 */
export const IDEMPOTENCY_SCHEMA_VERSION = 2;

const RECORDS_TABLE = `
  CREATE TABLE IF NOT EXISTS idempotency_records (
    subject          TEXT    NOT NULL,
    method           TEXT    NOT NULL,
    path             TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL,
    -- HMAC-SHA-256 (hex) of the request's SHA-256 digest, under the idempotency secret.
    fingerprint      TEXT    NOT NULL CHECK (length(fingerprint) = 64),
    -- A random token per claim: only the request that claimed a record may complete or release it.
    claim_token      TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('in_progress', 'completed')),
    created_at       TEXT    NOT NULL,
    expires_at       TEXT    NOT NULL,
    lease_expires_at TEXT,
    completed_at     TEXT,
    response_status  INTEGER CHECK (response_status BETWEEN 100 AND 599),
    -- Headers and body, encrypted; bound to this record's scope and status.
    response_sealed  BLOB,
    -- What makes claiming atomic across processes: INSERT … ON CONFLICT on this key.
    UNIQUE (subject, method, path, idempotency_key),
    CHECK (state = 'in_progress' OR (response_status IS NOT NULL AND response_sealed IS NOT NULL))
  );
`;

const SCHEMA = `${RECORDS_TABLE}
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

/**
 * Creates or upgrades the schema in one IMMEDIATE transaction, so concurrent starts do not race.
 * After an upgrade from version 1 the file is vacuumed and its WAL truncated (see above).
 */
export function ensureIdempotencySchema(db: Database, now: string, keys: IdempotencyKeys): void {
  let upgradedFromClear = false;
  // Zeroes the pages the upgrade frees as it frees them, so even if the process dies before the
  // VACUUM below, no clear copy outlives the transaction that removed it.
  db.pragma('secure_delete = ON');
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_schema_version (
      version    INTEGER PRIMARY KEY,
      applied_at TEXT NOT NULL
    )`);
    const current = (db.prepare('SELECT coalesce(max(version), 0) AS v FROM idempotency_schema_version').get() as { v: number }).v;
    if (current > IDEMPOTENCY_SCHEMA_VERSION) throw new IdempotencySchemaTooNewError(current);
    if (current === 1) {
      rewriteVersion1Records(db, now, keys);
      upgradedFromClear = true;
    }
    db.exec(SCHEMA);
    if (current < IDEMPOTENCY_SCHEMA_VERSION) {
      db.prepare('INSERT INTO idempotency_schema_version (version, applied_at) VALUES (?, ?)').run(IDEMPOTENCY_SCHEMA_VERSION, now);
    }
  }).immediate();
  db.pragma('secure_delete = OFF');
  if (upgradedFromClear) {
    // Frames written before the upgrade may still sit in the WAL, and the file keeps its size:
    // rebuild the file, then empty the WAL.
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

interface Version1Row {
  subject: string;
  method: string;
  path: string;
  idempotency_key: string;
  fingerprint: string;
  claim_token: string;
  state: 'in_progress' | 'completed';
  created_at: string;
  expires_at: string;
  lease_expires_at: string | null;
  completed_at: string | null;
  response_status: number | null;
  response_headers: string | null;
  response_body: Buffer | null;
}

/**
 * Copies the unexpired version-1 records into the version-2 table, fingerprints keyed and
 * responses sealed, and drops the old table (and with it its index). Expired records are left
 * behind: they would only be purged.
 */
function rewriteVersion1Records(db: Database, now: string, keys: IdempotencyKeys): void {
  db.exec('ALTER TABLE idempotency_records RENAME TO idempotency_records_v1');
  db.exec(RECORDS_TABLE);
  const rows = db.prepare('SELECT * FROM idempotency_records_v1 WHERE expires_at > ?').all(now) as Version1Row[];
  const insert = db.prepare(
    `INSERT INTO idempotency_records
       (subject, method, path, idempotency_key, fingerprint, claim_token, state, created_at, expires_at, lease_expires_at,
        completed_at, response_status, response_sealed)
     VALUES (@subject, @method, @path, @idempotency_key, @fingerprint, @claim_token, @state, @created_at, @expires_at,
        @lease_expires_at, @completed_at, @response_status, @response_sealed)`,
  );
  for (const { response_headers, response_body, ...row } of rows) {
    const scope = { subject: row.subject, method: row.method, path: row.path, key: row.idempotency_key };
    const completed = row.state === 'completed' && row.response_status !== null;
    const response_sealed = completed
      ? sealResponse(keys, scope, {
          status: row.response_status as number,
          headers: JSON.parse(response_headers ?? '{}') as Record<string, string>,
          body: response_body ?? Buffer.alloc(0),
        })
      : null;
    insert.run({ ...row, fingerprint: keyedFingerprint(keys, row.fingerprint), response_sealed });
  }
  db.exec('DROP TABLE idempotency_records_v1');
}
