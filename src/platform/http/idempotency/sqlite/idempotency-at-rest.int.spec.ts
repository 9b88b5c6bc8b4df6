import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { filesHolding, withSidecars } from '../../../../../test/support/marker-scan';
import { FixedClock } from '../../../../shared/clock';
import { requestDigest } from '../idempotency-key';
import { idempotencyKeysFrom, keyedFingerprint } from '../idempotency-secret';
import type { IdempotencyScope, RecordedResponse } from '../idempotency-store';
import { IDEMPOTENCY_SCHEMA_VERSION } from './idempotency-schema';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store';

const MARKER = 'PDMARK-Ramesh-9876543210';
const KEYS = idempotencyKeysFrom(Buffer.alloc(32, 7));
const HOUR = 60 * 60 * 1000;
const SCOPE: IdempotencyScope = { subject: 'u-17', method: 'POST', path: '/seizures', key: 'key-1' };
const BODY = { seizedFrom: { name: MARKER, phone: '+919876543210' }, witnesses: [{ name: `${MARKER}-witness` }] };
const DIGEST = requestDigest({ method: 'POST', target: '/seizures', body: BODY, headers: { 'content-type': 'application/json' } });
/** A response that echoes the body, as a probe route or a problem naming a bad value might. */
const ECHOING: RecordedResponse = {
  status: 201,
  headers: { 'content-type': 'application/json; charset=utf-8', location: `/seizures/${MARKER}` },
  body: Buffer.from(JSON.stringify({ seizureId: 's-1', echoed: BODY })),
};

/** The version-1 table as earlier releases created it: bare SHA-256 fingerprints, responses in clear. */
const VERSION_1_SCHEMA = `
  CREATE TABLE idempotency_schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
  INSERT INTO idempotency_schema_version VALUES (1, '2024-04-18T00:00:00.000Z');
  CREATE TABLE idempotency_records (
    subject TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64), claim_token TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_progress', 'completed')),
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, lease_expires_at TEXT, completed_at TEXT,
    response_status INTEGER CHECK (response_status BETWEEN 100 AND 599), response_headers TEXT, response_body BLOB,
    UNIQUE (subject, method, path, idempotency_key),
    CHECK (state = 'in_progress' OR (response_status IS NOT NULL AND response_headers IS NOT NULL AND response_body IS NOT NULL))
  );
  CREATE INDEX idempotency_records_by_expiry ON idempotency_records (expires_at);
`;

describe('idempotency records at rest', () => {
  let dir: string;
  let filename: string;
  let clock: FixedClock;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-idempotency-at-rest-'));
    filename = join(dir, 'idempotency.sqlite');
    clock = new FixedClock('2024-04-19T05:30:00.000Z');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const claimAt = (store: SqliteIdempotencyStore, scope: IdempotencyScope, fingerprint: string) =>
    store.claim({
      scope,
      fingerprint,
      now: clock.now(),
      expiresAt: new Date(Date.parse(clock.now()) + 24 * HOUR).toISOString(),
      leaseExpiresAt: new Date(Date.parse(clock.now()) + 60_000).toISOString(),
    });

  it('the scan finds a marker planted in a file that is not the idempotency store (positive control)', () => {
    const planted = join(dir, 'planted.bin');
    writeFileSync(planted, Buffer.concat([randomBytes(5000), Buffer.from(MARKER, 'utf8'), randomBytes(5000)]));

    expect(filesHolding(MARKER, [...withSidecars(filename), planted])).toEqual([planted]);
  });

  it('keeps neither the body, its bare digest nor an echoing response in the file, its WAL or its shm', async () => {
    const store = SqliteIdempotencyStore.open({ filename, clock, keys: KEYS });
    const fingerprint = keyedFingerprint(KEYS, DIGEST);
    const claim = await claimAt(store, SCOPE, fingerprint);
    if (claim.outcome !== 'claimed') throw new Error(`expected a claim, got ${claim.outcome}`);
    expect(await store.complete(SCOPE, claim.claimToken, ECHOING, clock.now())).toBe(true);

    // While open the records sit in the WAL; the scan covers it and the shm.
    expect(existsSync(`${filename}-wal`)).toBe(true);
    for (const secret of [MARKER, '9876543210', DIGEST]) expect(filesHolding(secret, withSidecars(filename))).toEqual([]);
    expect(await claimAt(store, SCOPE, fingerprint)).toEqual({
      outcome: 'completed',
      fingerprint,
      createdAt: clock.now(),
      response: ECHOING,
    });

    await store.close();
    for (const secret of [MARKER, '9876543210', DIGEST]) expect(filesHolding(secret, withSidecars(filename))).toEqual([]);
  });

  it('forgets a record sealed under another secret (the secret file was lost) and lets its key be claimed afresh', async () => {
    const before = SqliteIdempotencyStore.open({ filename, clock, keys: KEYS });
    const claim = await claimAt(before, SCOPE, keyedFingerprint(KEYS, DIGEST));
    if (claim.outcome !== 'claimed') throw new Error(`expected a claim, got ${claim.outcome}`);
    await before.complete(SCOPE, claim.claimToken, ECHOING, clock.now());
    await before.close();
    const otherKeys = idempotencyKeysFrom(Buffer.alloc(32, 9));

    const after = SqliteIdempotencyStore.open({ filename, clock, keys: otherKeys });
    try {
      const fingerprint = keyedFingerprint(otherKeys, DIGEST);
      expect(await claimAt(after, SCOPE, fingerprint)).toMatchObject({ outcome: 'claimed' });
      expect(await claimAt(after, SCOPE, fingerprint)).toEqual({ outcome: 'in-progress', fingerprint });
    } finally {
      await after.close();
    }
  });

  it('upgrades a version-1 file left by a crash: its records still replay, and no clear copy survives in any page or frame', async () => {
    const earlier = join(dir, 'earlier');
    mkdirSync(earlier);
    const old = join(earlier, 'idempotency.sqlite');
    const oldDb = new BetterSqlite3(old);
    oldDb.pragma('journal_mode = WAL');
    oldDb.pragma('wal_autocheckpoint = 0'); // everything below stays in WAL frames, as after a crash
    oldDb.exec(VERSION_1_SCHEMA);
    const insert = oldDb.prepare(
      `INSERT INTO idempotency_records VALUES (@subject, @method, @path, @key, @fingerprint, 'token', @state, @createdAt,
         @expiresAt, NULL, @createdAt, @status, @headers, @body)`,
    );
    const row = (key: string, expiresAt: string, state = 'completed') => ({
      ...SCOPE,
      key,
      fingerprint: DIGEST,
      state,
      createdAt: '2024-04-19T05:00:00.000Z',
      expiresAt,
      status: state === 'completed' ? ECHOING.status : null,
      headers: state === 'completed' ? JSON.stringify(ECHOING.headers) : null,
      body: state === 'completed' ? ECHOING.body : null,
    });
    insert.run(row('live', '2024-04-20T05:00:00.000Z'));
    insert.run(row('running', '2024-04-20T05:00:00.000Z', 'in_progress'));
    insert.run(row('expired', '2024-04-19T05:29:00.000Z'));
    insert.run(row('deleted', '2024-04-20T05:00:00.000Z'));
    oldDb.prepare("DELETE FROM idempotency_records WHERE idempotency_key = 'deleted'").run(); // its bytes linger in a free slot
    // Copy the files while the connection is open: the image a crash leaves (close would checkpoint).
    for (const suffix of ['', '-wal']) copyFileSync(`${old}${suffix}`, `${filename}${suffix}`);
    oldDb.close();
    expect(filesHolding(MARKER, withSidecars(filename))).toEqual([`${filename}-wal`]);

    const store = SqliteIdempotencyStore.open({ filename, clock, keys: KEYS });

    for (const secret of [MARKER, '9876543210', DIGEST]) expect(filesHolding(secret, withSidecars(filename))).toEqual([]);
    const fingerprint = keyedFingerprint(KEYS, DIGEST);
    expect(await claimAt(store, { ...SCOPE, key: 'live' }, fingerprint)).toEqual({
      outcome: 'completed',
      fingerprint,
      createdAt: '2024-04-19T05:00:00.000Z',
      response: ECHOING,
    });
    expect(await claimAt(store, { ...SCOPE, key: 'running' }, fingerprint)).toEqual({ outcome: 'in-progress', fingerprint });
    expect(await claimAt(store, { ...SCOPE, key: 'expired' }, fingerprint)).toMatchObject({ outcome: 'claimed' });
    await store.close();

    const db = new BetterSqlite3(filename, { readonly: true });
    try {
      expect(db.prepare('SELECT max(version) AS v FROM idempotency_schema_version').get()).toEqual({ v: IDEMPOTENCY_SCHEMA_VERSION });
      const columns = (db.prepare('PRAGMA table_info(idempotency_records)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(expect.arrayContaining(['fingerprint', 'response_status', 'response_sealed']));
      expect(columns).not.toEqual(expect.arrayContaining(['response_body']));
      expect(columns).not.toEqual(expect.arrayContaining(['response_headers']));
    } finally {
      db.close();
    }
    for (const secret of [MARKER, '9876543210', DIGEST]) expect(filesHolding(secret, withSidecars(filename))).toEqual([]);
  });
});
