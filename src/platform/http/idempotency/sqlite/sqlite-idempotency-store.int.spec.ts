import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { FixedClock } from '../../../../shared/clock';
import { idempotencyKeysFrom } from '../idempotency-secret';
import { IdempotencyStoreUnavailableError, type ClaimRequest, type IdempotencyScope, type RecordedResponse } from '../idempotency-store';
import { IDEMPOTENCY_SCHEMA_VERSION, IdempotencySchemaTooNewError } from './idempotency-schema';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store';
import { FROM_SOURCES } from '../../../../../test/support/cli-process';

const HOUR = 60 * 60 * 1000;
const KEYS = idempotencyKeysFrom(Buffer.alloc(32, 7));
const SCOPE: IdempotencyScope = { subject: 'u-17', method: 'POST', path: '/seizures', key: 'key-1' };
const FINGERPRINT = 'a'.repeat(64);
const OTHER_FINGERPRINT = 'b'.repeat(64);
const RESPONSE: RecordedResponse = {
  status: 201,
  headers: { 'content-type': 'application/json; charset=utf-8', etag: '"0"', location: '/seizures/s-1' },
  body: Buffer.from('{"seizureId":"s-1"}'),
};

describe('SqliteIdempotencyStore', () => {
  let dir: string;
  let filename: string;
  let clock: FixedClock;
  let store: SqliteIdempotencyStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-idempotency-'));
    filename = join(dir, 'idempotency.sqlite');
    clock = new FixedClock('2024-04-19T05:30:00.000Z');
    store = SqliteIdempotencyStore.open({ filename, clock, keys: KEYS });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A claim at the clock's current time with a 24 h TTL and a 60 s lease. */
  function claimRequest(overrides: Partial<ClaimRequest> = {}): ClaimRequest {
    const now = clock.now();
    const at = (ms: number): string => new Date(Date.parse(now) + ms).toISOString();
    return { scope: SCOPE, fingerprint: FINGERPRINT, now, expiresAt: at(24 * HOUR), leaseExpiresAt: at(60_000), ...overrides };
  }

  async function claimed(request: ClaimRequest = claimRequest()): Promise<string> {
    const result = await store.claim(request);
    if (result.outcome !== 'claimed') throw new Error(`expected a claim, got ${result.outcome}`);
    return result.claimToken;
  }

  it('creates its file in WAL mode and records the schema version', () => {
    const db = new BetterSqlite3(filename, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version, applied_at FROM idempotency_schema_version').all()).toEqual([
        { version: IDEMPOTENCY_SCHEMA_VERSION, applied_at: '2024-04-19T05:30:00.000Z' },
      ]);
    } finally {
      db.close();
    }
  });

  it('reopens an existing file without touching its records', async () => {
    const token = await claimed();
    await store.complete(SCOPE, token, RESPONSE, clock.now());
    await store.close();

    store = SqliteIdempotencyStore.open({ filename, clock, keys: KEYS });

    expect(await store.claim(claimRequest())).toMatchObject({ outcome: 'completed', response: RESPONSE });
  });

  it('refuses a file written by a newer release', async () => {
    await store.close();
    const db = new BetterSqlite3(filename);
    db.prepare('INSERT INTO idempotency_schema_version (version, applied_at) VALUES (?, ?)').run(99, clock.now());
    db.close();

    expect(() => SqliteIdempotencyStore.open({ filename, clock, keys: KEYS })).toThrow(IdempotencySchemaTooNewError);
    store = SqliteIdempotencyStore.open({ filename: ':memory:', clock, keys: KEYS });
  });

  it('lets the first claim of a key win', async () => {
    const result = await store.claim(claimRequest());

    expect(result).toEqual({ outcome: 'claimed', claimToken: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('answers a second claim while the first is unfinished with in-progress and its fingerprint', async () => {
    await claimed();

    expect(await store.claim(claimRequest())).toEqual({ outcome: 'in-progress', fingerprint: FINGERPRINT });
    expect(await store.claim(claimRequest({ fingerprint: OTHER_FINGERPRINT }))).toEqual({
      outcome: 'in-progress',
      fingerprint: FINGERPRINT,
    });
  });

  it('replays a completed response, status, headers and bytes, with the first fingerprint', async () => {
    const token = await claimed();
    expect(await store.complete(SCOPE, token, RESPONSE, clock.now())).toBe(true);
    clock.advance(5000);

    const result = await store.claim(claimRequest({ fingerprint: OTHER_FINGERPRINT }));

    expect(result).toEqual({
      outcome: 'completed',
      fingerprint: FINGERPRINT,
      createdAt: '2024-04-19T05:30:00.000Z',
      response: RESPONSE,
    });
  });

  it('keeps a response with an empty body', async () => {
    const token = await claimed();
    const empty: RecordedResponse = { status: 204, headers: {}, body: Buffer.alloc(0) };
    await store.complete(SCOPE, token, empty, clock.now());

    expect(await store.claim(claimRequest())).toMatchObject({ outcome: 'completed', response: empty });
  });

  it('scopes keys by user, method and path', async () => {
    await claimed();

    await claimed(claimRequest({ scope: { ...SCOPE, subject: 'u-18' } }));
    await claimed(claimRequest({ scope: { ...SCOPE, path: '/seizures/s-1/handover' } }));
    await claimed(claimRequest({ scope: { ...SCOPE, method: 'PUT' } }));
    await claimed(claimRequest({ scope: { ...SCOPE, key: 'key-2' } }));
  });

  it('frees a released claim (a 5xx) for the next request', async () => {
    const token = await claimed();

    expect(await store.release(SCOPE, token)).toBe(true);

    await claimed();
  });

  it('completes or releases a claim only with its own token', async () => {
    const token = await claimed();

    expect(await store.complete(SCOPE, 'not-the-token', RESPONSE, clock.now())).toBe(false);
    expect(await store.release(SCOPE, 'not-the-token')).toBe(false);
    expect(await store.claim(claimRequest())).toMatchObject({ outcome: 'in-progress' });

    expect(await store.complete(SCOPE, token, RESPONSE, clock.now())).toBe(true);
    // A completed record is kept: neither a second completion nor a release changes it.
    expect(await store.complete(SCOPE, token, { ...RESPONSE, status: 400 }, clock.now())).toBe(false);
    expect(await store.release(SCOPE, token)).toBe(false);
    expect(await store.claim(claimRequest())).toMatchObject({ outcome: 'completed', response: RESPONSE });
  });

  it('lets a claim whose lease ran out (its process died) be taken over, and ignores the old owner', async () => {
    const abandoned = await claimed();
    clock.advance(59_999);
    expect(await store.claim(claimRequest())).toMatchObject({ outcome: 'in-progress' });

    clock.advance(1);
    const takeover = await claimed();

    expect(takeover).not.toBe(abandoned);
    expect(await store.complete(SCOPE, abandoned, RESPONSE, clock.now())).toBe(false);
    expect(await store.complete(SCOPE, takeover, RESPONSE, clock.now())).toBe(true);
  });

  it('forgets a completed record once it expires, so the key can be used afresh', async () => {
    const token = await claimed();
    await store.complete(SCOPE, token, RESPONSE, clock.now());

    clock.advance(24 * HOUR - 1);
    expect(await store.claim(claimRequest({ fingerprint: OTHER_FINGERPRINT }))).toMatchObject({ outcome: 'completed' });

    clock.advance(1);
    await claimed(claimRequest({ fingerprint: OTHER_FINGERPRINT }));
    expect(await store.claim(claimRequest())).toEqual({ outcome: 'in-progress', fingerprint: OTHER_FINGERPRINT });
  });

  it('purges expired records lazily, a bounded batch per claim', async () => {
    for (let i = 0; i < 150; i++) {
      const token = await claimed(claimRequest({ scope: { ...SCOPE, key: `old-${i}` } }));
      await store.complete({ ...SCOPE, key: `old-${i}` }, token, RESPONSE, clock.now());
    }
    const count = (): number => {
      const db = new BetterSqlite3(filename, { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM idempotency_records').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(count()).toBe(150);

    clock.advance(24 * HOUR);
    await claimed(claimRequest({ scope: { ...SCOPE, key: 'new-1' } }));
    expect(count()).toBe(51);

    await claimed(claimRequest({ scope: { ...SCOPE, key: 'new-2' } }));
    expect(count()).toBe(2);
  });

  it('reports a closed store as unavailable', async () => {
    await store.close();

    await expect(store.claim(claimRequest())).rejects.toThrow(IdempotencyStoreUnavailableError);
    store = SqliteIdempotencyStore.open({ filename: ':memory:', clock, keys: KEYS });
  });

  describe('group commit', () => {
    /** Reads the file through a connection of its own: what another process (or a restart) would see. */
    function stored(key: string): { state: string; response_status: number | null } | undefined {
      const db = new BetterSqlite3(filename, { readonly: true });
      try {
        return db.prepare('SELECT state, response_status FROM idempotency_records WHERE idempotency_key = ?').get(key) as
          { state: string; response_status: number | null } | undefined;
      } finally {
        db.close();
      }
    }

    it('writes the claims of concurrent requests in one transaction, each with its own outcome', async () => {
      const before = store.commitCount;
      const results = await Promise.all(['k-1', 'k-2', 'k-1', 'k-3'].map((key) => store.claim(claimRequest({ scope: { ...SCOPE, key } }))));

      expect(store.commitCount).toBe(before + 1);
      expect(results.map((r) => r.outcome)).toEqual(['claimed', 'claimed', 'in-progress', 'claimed']);
    });

    it('completes and releases of concurrent requests share a transaction too', async () => {
      const [one, two] = await Promise.all([
        claimed(claimRequest({ scope: { ...SCOPE, key: 'a' } })),
        claimed(claimRequest({ scope: { ...SCOPE, key: 'b' } })),
      ]);
      const before = store.commitCount;

      const settled = await Promise.all([
        store.complete({ ...SCOPE, key: 'a' }, one, RESPONSE, clock.now()),
        store.release({ ...SCOPE, key: 'b' }, two),
      ]);

      expect(settled).toEqual([true, true]);
      expect(store.commitCount).toBe(before + 1);
      expect(stored('a')).toEqual({ state: 'completed', response_status: 201 });
      expect(stored('b')).toBeUndefined();
    });

    it('has a claim on disk by the time it is granted, and a response by the time it is recorded', async () => {
      const token = await claimed();
      expect(stored(SCOPE.key)).toEqual({ state: 'in_progress', response_status: null });

      expect(await store.complete(SCOPE, token, RESPONSE, clock.now())).toBe(true);
      expect(stored(SCOPE.key)).toEqual({ state: 'completed', response_status: 201 });
    });

    it('applies the writes of one batch in arrival order', async () => {
      const first = store.claim(claimRequest());
      const [claim, second] = await Promise.all([first, store.claim(claimRequest({ fingerprint: OTHER_FINGERPRINT }))]);

      expect(claim.outcome).toBe('claimed');
      expect(second).toEqual({ outcome: 'in-progress', fingerprint: FINGERPRINT });
    });

    it('fails a write that cannot be applied alone, undoing only it', async () => {
      const token = await claimed();
      const broken = { ...RESPONSE, status: undefined as unknown as number };

      const [bad, good] = await Promise.allSettled([
        store.complete(SCOPE, token, broken, clock.now()),
        store.claim(claimRequest({ scope: { ...SCOPE, key: 'neighbour' } })),
      ]);

      expect(bad.status).toBe('rejected');
      expect(good).toMatchObject({ status: 'fulfilled', value: { outcome: 'claimed' } });
      expect(stored(SCOPE.key)).toEqual({ state: 'in_progress', response_status: null });
      expect(stored('neighbour')).toEqual({ state: 'in_progress', response_status: null });
    });

    it('writes what was submitted before close instead of dropping it', async () => {
      const pending = store.claim(claimRequest());
      await store.close();

      expect((await pending).outcome).toBe('claimed');
      expect(stored(SCOPE.key)).toEqual({ state: 'in_progress', response_status: null });
      store = SqliteIdempotencyStore.open({ filename: ':memory:', clock, keys: KEYS });
    });

    it('fails every write of a batch that cannot commit, and stores none of them', async () => {
      const blocker = new BetterSqlite3(filename);
      blocker.pragma('busy_timeout = 0');
      blocker.prepare('BEGIN IMMEDIATE').run();
      try {
        // The store waits up to its busy timeout for the lock, then gives up on the whole batch.
        (store as unknown as { db: { pragma(s: string): void } }).db.pragma('busy_timeout = 50');
        const results = await Promise.allSettled(['x', 'y'].map((key) => store.claim(claimRequest({ scope: { ...SCOPE, key } }))));

        expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
        expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyStoreUnavailableError);
      } finally {
        blocker.prepare('ROLLBACK').run();
        blocker.close();
      }
      expect(stored('x')).toBeUndefined();
      expect(stored('y')).toBeUndefined();
    });
  });

  it('lets exactly one of several processes racing for each key claim it', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `race-${i}`);
    const claimers = await Promise.all(Array.from({ length: 4 }, () => startClaimer(filename, keys, claimRequest())));
    // Every process has opened the file before any claims, so the claims really overlap.
    const won = await Promise.all(claimers.map((claimer) => claimer.go()));

    const winners = won.flat();
    expect(winners).toHaveLength(keys.length);
    expect(new Set(winners)).toEqual(new Set(keys));
    expect(await store.claim(claimRequest({ scope: { ...SCOPE, key: 'race-0' } }))).toMatchObject({
      outcome: 'in-progress',
    });
  }, 60_000);
});

const CLAIMER = join(__dirname, '../../../../../test/support/idempotency-claimer.ts');

/** Starts test/support/idempotency-claimer.ts and resolves once its store is open. */
function startClaimer(filename: string, keys: string[], request: ClaimRequest): Promise<{ go: () => Promise<string[]> }> {
  return new Promise((ready, fail) => {
    const child = fork(CLAIMER, [], {
      execArgv: [...FROM_SOURCES],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let won: string[] | undefined;
    const exited = new Promise<string[]>((done, failed) =>
      child.once('exit', (code) => (code === 0 && won ? done(won) : failed(new Error(`claimer exited with ${code}`)))),
    );
    child.once('error', fail);
    child.on('message', (message: unknown) => {
      if (message === 'ready') {
        ready({
          go: () => {
            child.send('go');
            return exited;
          },
        });
      } else {
        won = (message as { won: string[] }).won;
      }
    });
    child.send({ filename, keys, request });
  });
}
