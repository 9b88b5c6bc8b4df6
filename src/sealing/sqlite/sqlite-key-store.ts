import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { openDurableDatabase, setPageCache, SMALL_PAGE_CACHE_KIB } from '../../platform/sqlite/durable-database';
import type { Clock } from '../../shared/clock';
import type { KekSource } from '../kek-source';
import {
  ErasureIncompleteError,
  KeyEncryptionKeyMismatchError,
  type KeyAvailability,
  type KeyLookup,
  type ErasureOrder,
  type ErasureReference,
  type KeyTombstone,
  type PersonalDataKeyStore,
  type ReferencedKeys,
  type SubjectKey,
} from '../key-store';
import { kekCheckValue, newDataKey, unwrapKey, wrapKey } from '../key-wrapping';
import { dataSubject, type DataSubject } from '../subjects';
import { ensureKeyStoreSchema } from './key-store-schema';

export interface SqliteKeyStoreOptions {
  /** Path of the key file, kept apart from the ledger's; its folder is created if missing. */
  readonly filename: string;
  readonly kek: KekSource;
  readonly clock: Clock;
  /** How long a write or an erasure's checkpoint waits for other connections; the durable default (5 s) unless a test says less. */
  readonly busyTimeoutMs?: number;
}

interface KeyRow {
  key_id: string;
  seizure_id: string;
  subject: string;
  wrapped_key: Buffer;
  created_at: string;
  first_used_at: string | null;
}

interface TombstoneRow {
  key_id: string;
  seizure_id: string;
  subject: string;
  created_at: string;
  destroyed_at: string;
  reason: 'erased' | 'unused';
  erasure_event_id: string | null;
  erasure_order_reference: string | null;
}

const MAX_SEIZURE_ID_LENGTH = 256;
/** Tries of a TRUNCATE checkpoint, each waiting up to the busy timeout for other connections' readers. */
const CHECKPOINT_ATTEMPTS = 3;

const tombstoneOf = (row: TombstoneRow): KeyTombstone => ({
  keyId: row.key_id,
  seizureId: row.seizure_id,
  subject: row.subject as DataSubject,
  createdAt: row.created_at,
  destroyedAt: row.destroyed_at,
  reason: row.reason,
  ...(row.erasure_event_id !== null && { erasure: { eventId: row.erasure_event_id, orderReference: row.erasure_order_reference ?? '' } }),
});

function checkSeizureId(seizureId: string): void {
  if (typeof seizureId !== 'string' || seizureId.length === 0 || seizureId.length > MAX_SEIZURE_ID_LENGTH) {
    throw new TypeError(`a seizure id is a non-empty string of at most ${MAX_SEIZURE_ID_LENGTH} characters`);
  }
}

/**
 * The personal-data keys in an SQLite file of their own (WAL, synchronous=FULL, mode 0600), with
 * `secure_delete` on: a deleted key's bytes are overwritten, and erasure then truncates the WAL,
 * so no copy of a destroyed key stays in the file or beside it. Keys are wrapped by the KEK.
 */
export class SqliteKeyStore implements PersonalDataKeyStore {
  private closed = false;

  private constructor(
    private readonly db: Database,
    private readonly kek: KekSource,
    private readonly clock: Clock,
    private readonly filename: string,
  ) {}

  /**
   * Opens (creating if needed) the key file and checks the KEK against the one the stored keys
   * were wrapped with: another KEK fails here, naming the settings, and never yields a garbage key.
   */
  static open(options: SqliteKeyStoreOptions): SqliteKeyStore {
    const db = openDurableDatabase(options.filename, (connection) => {
      // Per connection: overwrite deleted content, and keep temporary tables and indexes off the disk.
      connection.pragma('secure_delete = ON');
      connection.pragma('temp_store = MEMORY');
      if (options.busyTimeoutMs !== undefined) connection.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
      ensureKeyStoreSchema(connection);
      checkKek(connection, options.kek, options.filename);
      // An erasure interrupted before its checkpoint is finished now, best effort.
      connection.pragma('wal_checkpoint(TRUNCATE)');
    });
    // A few keys per seizure, each read when a seizure is sealed or opened: a small page cache holds them.
    setPageCache(db, SMALL_PAGE_CACHE_KIB);
    return new SqliteKeyStore(db, options.kek, options.clock, options.filename);
  }

  async keyFor(seizureId: string, subject: DataSubject): Promise<SubjectKey> {
    checkSeizureId(seizureId);
    const checked = dataSubject(subject);
    return this.db.transaction(() => this.issueKey(seizureId, checked)).immediate();
  }

  async keysFor(seizureId: string, subjects: readonly DataSubject[]): Promise<SubjectKey[]> {
    checkSeizureId(seizureId);
    const checked = subjects.map((subject) => dataSubject(subject));
    return this.db.transaction(() => checked.map((subject) => this.issueKey(seizureId, subject))).immediate();
  }

  private issueKey(seizureId: string, subject: DataSubject): SubjectKey {
    const now = this.clock.now();
    const row = this.db.prepare('SELECT * FROM subject_keys WHERE seizure_id = ? AND subject = ?').get(seizureId, subject) as
      KeyRow | undefined;
    if (row) {
      // Handed out again before any event used it: not to be collected while this command runs.
      if (row.first_used_at === null) this.db.prepare('UPDATE subject_keys SET issued_at = ? WHERE key_id = ?').run(now, row.key_id);
      return this.unwrap(row);
    }
    const record = { keyId: randomUUID(), seizureId, subject };
    const key = newDataKey();
    this.db
      .prepare(
        'INSERT INTO subject_keys (key_id, seizure_id, subject, wrapped_key, created_at, issued_at) VALUES (@keyId, @seizureId, @subject, @wrapped, @now, @now)',
      )
      .run({ ...record, wrapped: wrapKey(this.kek.kek, record, key), now });
    return { ...record, key };
  }

  async markUsed(keyIds: readonly string[]): Promise<void> {
    const now = this.clock.now();
    const mark = this.db.prepare('UPDATE subject_keys SET first_used_at = ? WHERE key_id = ? AND first_used_at IS NULL');
    this.db.transaction(() => keyIds.forEach((keyId) => mark.run(now, keyId))).immediate();
  }

  async lookup(keyIds: readonly string[]): Promise<KeyLookup> {
    const live = this.db.prepare('SELECT * FROM subject_keys WHERE key_id = ?');
    const dead = this.db.prepare('SELECT * FROM key_tombstones WHERE key_id = ?');
    const found = new Map<string, KeyAvailability>();
    // One read transaction: a key is either live or tombstoned, never seen as neither mid-erasure.
    this.db.transaction(() => {
      for (const keyId of new Set(keyIds)) {
        const row = live.get(keyId) as KeyRow | undefined;
        const tombstone = row ? undefined : (dead.get(keyId) as TombstoneRow | undefined);
        found.set(
          keyId,
          row
            ? { status: 'available', key: this.unwrap(row) }
            : tombstone
              ? { status: 'erased', tombstone: tombstoneOf(tombstone) }
              : { status: 'unknown' },
        );
      }
    })();
    return (keyId: string) => found.get(keyId) ?? { status: 'unknown' };
  }

  async destroy(seizureId: string, subject: DataSubject, erasure?: ErasureOrder): Promise<KeyTombstone | undefined> {
    checkSeizureId(seizureId);
    const checked = dataSubject(subject);
    const tombstone = this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT * FROM subject_keys WHERE seizure_id = ? AND subject = ?').get(seizureId, checked) as
          KeyRow | undefined;
        if (!row || (erasure !== undefined && !erasure.keyIds.includes(row.key_id))) return undefined;
        return this.bury(row, 'erased', erasure);
      })
      .immediate();
    const leftover = this.truncateWal();
    // A retried erasure finds no live key but still has the WAL to clear.
    const latest = tombstone ?? this.latestErasure(seizureId, checked);
    if (leftover !== undefined && latest !== undefined) throw new ErasureIncompleteError(latest, leftover);
    return tombstone;
  }

  async destroyForErasure(
    seizureId: string,
    erasure: ErasureReference,
    subjects: ReadonlyArray<{ subject: DataSubject; keyIds: readonly string[] }>,
  ): Promise<KeyTombstone[]> {
    checkSeizureId(seizureId);
    const checked = subjects.map(({ subject, keyIds }) => ({ subject: dataSubject(subject), keyIds }));
    const live = this.db.prepare('SELECT * FROM subject_keys WHERE seizure_id = ? AND subject = ?');
    const buried = this.db
      .transaction(() =>
        checked.flatMap(({ subject, keyIds }) => {
          const row = live.get(seizureId, subject) as KeyRow | undefined;
          return row && keyIds.includes(row.key_id) ? [this.bury(row, 'erased', erasure)] : [];
        }),
      )
      .immediate();
    const leftover = this.truncateWal();
    // A retried erasure finds no live key but may still have the WAL to clear.
    const named = buried[0] ?? checked.map(({ subject }) => this.latestErasure(seizureId, subject)).find((t) => t !== undefined);
    if (leftover !== undefined && named !== undefined) throw new ErasureIncompleteError(named, leftover);
    return buried;
  }

  private latestErasure(seizureId: string, subject: DataSubject): KeyTombstone | undefined {
    const row = this.db
      .prepare("SELECT * FROM key_tombstones WHERE seizure_id = ? AND subject = ? AND reason = 'erased' ORDER BY destroyed_at DESC LIMIT 1")
      .get(seizureId, subject) as TombstoneRow | undefined;
    return row && tombstoneOf(row);
  }

  async collectUnused(olderThan: string, referenced: ReferencedKeys): Promise<KeyTombstone[]> {
    const candidates = this.db
      .prepare('SELECT key_id FROM subject_keys WHERE first_used_at IS NULL AND issued_at < ? ORDER BY issued_at')
      .pluck()
      .all(olderThan) as string[];
    if (candidates.length === 0) return [];
    const inUse = await referenced(candidates);
    await this.markUsed(candidates.filter((keyId) => inUse.has(keyId)));
    const select = this.db.prepare('SELECT * FROM subject_keys WHERE key_id = ? AND first_used_at IS NULL AND issued_at < ?');
    const destroyed = this.db
      .transaction(() =>
        candidates
          .filter((keyId) => !inUse.has(keyId))
          // Re-read inside the transaction: a key issued or used meanwhile stays.
          .map((keyId) => select.get(keyId, olderThan) as KeyRow | undefined)
          .filter((row): row is KeyRow => row !== undefined)
          .map((row) => this.bury(row, 'unused')),
      )
      .immediate();
    if (destroyed.length > 0) this.truncateWal();
    return destroyed;
  }

  async tombstonesOf(seizureId: string): Promise<KeyTombstone[]> {
    const rows = this.db
      .prepare('SELECT * FROM key_tombstones WHERE seizure_id = ? ORDER BY destroyed_at, key_id')
      .all(seizureId) as TombstoneRow[];
    return rows.map(tombstoneOf);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.truncateWal();
    this.db.close();
  }

  /** Deletes the key row (overwritten, secure_delete) and records its tombstone; inside a transaction. */
  private bury(row: KeyRow, reason: KeyTombstone['reason'], erasure?: ErasureReference): KeyTombstone {
    const tombstone: KeyTombstone = {
      keyId: row.key_id,
      seizureId: row.seizure_id,
      subject: row.subject as DataSubject,
      createdAt: row.created_at,
      destroyedAt: this.clock.now(),
      reason,
      ...(erasure && { erasure: { eventId: erasure.eventId, orderReference: erasure.orderReference } }),
    };
    this.db.prepare('DELETE FROM subject_keys WHERE key_id = ?').run(row.key_id);
    this.db
      .prepare(
        `INSERT INTO key_tombstones (key_id, seizure_id, subject, created_at, destroyed_at, reason, erasure_event_id, erasure_order_reference)
         VALUES (@keyId, @seizureId, @subject, @createdAt, @destroyedAt, @reason, @erasureEventId, @orderReference)`,
      )
      .run({
        keyId: tombstone.keyId,
        seizureId: tombstone.seizureId,
        subject: tombstone.subject,
        createdAt: tombstone.createdAt,
        destroyedAt: tombstone.destroyedAt,
        reason,
        erasureEventId: erasure?.eventId ?? null,
        orderReference: erasure?.orderReference ?? null,
      });
    return tombstone;
  }

  /**
   * Copies the WAL into the main file and truncates it to zero bytes, so the frames that held a
   * deleted key are gone. Returns why it could not (another connection still reading), or undefined.
   */
  private truncateWal(): string | undefined {
    let result = { busy: 0, log: 0, checkpointed: 0 };
    for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt++) {
      [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as (typeof result)[];
      if (result.busy === 0) return undefined;
    }
    return `${result.log - result.checkpointed} of ${result.log} WAL frames still in use by another connection to ${this.filename}`;
  }

  private unwrap(row: KeyRow): SubjectKey {
    const record = { keyId: row.key_id, seizureId: row.seizure_id, subject: row.subject };
    const key = unwrapKey(this.kek.kek, record, row.wrapped_key);
    if (key === undefined) {
      throw new KeyEncryptionKeyMismatchError(
        `the personal-data key ${row.key_id} in ${this.filename} does not unwrap with the key-encryption key from ${this.kek.source}: ` +
          'the key file was altered, or it belongs with another PERSONAL_DATA_KEK / PERSONAL_DATA_KEK_FILE',
      );
    }
    return { keyId: row.key_id, seizureId: row.seizure_id, subject: row.subject as DataSubject, key };
  }
}

/** Records the KEK's check value on first open; on every later one, refuses another KEK. */
function checkKek(db: Database, kek: KekSource, filename: string): void {
  const check = kekCheckValue(kek.kek);
  db.transaction(() => {
    const stored = db.prepare("SELECT value FROM key_store_meta WHERE name = 'kek_check'").pluck().get() as string | undefined;
    if (stored === undefined) {
      db.prepare("INSERT INTO key_store_meta (name, value) VALUES ('kek_check', ?)").run(check);
    } else if (stored !== check) {
      throw new KeyEncryptionKeyMismatchError(
        `the personal-data keys in ${filename} were wrapped with another key-encryption key than the one from ${kek.source}; ` +
          'set PERSONAL_DATA_KEK or PERSONAL_DATA_KEK_FILE to the one they were created with (without it every sealed value is unreadable)',
      );
    }
  }).immediate();
}
