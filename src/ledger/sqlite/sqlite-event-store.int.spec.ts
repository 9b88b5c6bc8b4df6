import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { FixedClock } from '../../shared/clock';
import { InvalidEventError, StoreUnavailableError } from '../errors';
import type { NewEvent } from '../event-store';
import { GENESIS_HASH, chainEvents, computeEventHash, encodeNewEvents } from '../hash-chain';
import { MIGRATIONS, SchemaTooNewError, migrate } from './migrations';
import { SqliteEventStore } from './sqlite-event-store';
import { FROM_SOURCES } from '../../../test/support/cli-process';

const projectRoot = resolve(__dirname, '../../..');
const writerScript = join(projectRoot, 'test/support/append-writer.ts');

const events = (count: number, type = 'ItemCounted'): NewEvent[] =>
  Array.from({ length: count }, (_, i) => ({ id: randomUUID(), type, data: { i, note: 'मुहर संख्या ' + i } }));

describe('SQLite event store (file-level guarantees)', () => {
  let dir: string;
  let filename: string;
  const clock = new FixedClock('2024-05-13T04:00:00.000Z');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
    filename = join(dir, 'nested', 'ledger.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A second connection that goes around the store, as someone editing the file would. */
  function rawConnection(): Database {
    return new BetterSqlite3(filename);
  }

  async function seed(): Promise<SqliteEventStore> {
    const store = SqliteEventStore.open({ filename, clock });
    await store.appendToStream('seizure-a', events(4));
    await store.appendToStream('seizure-b', events(3));
    await store.appendToStream('seizure-a', events(2));
    return store;
  }

  it('creates the folder and file, uses WAL with synchronous=FULL, and records the schema version', async () => {
    const store = await seed();
    const raw = rawConnection();
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT version, name, applied_at FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'append-only event table with hash chain', applied_at: '2024-05-13T04:00:00.000Z' },
      { version: 2, name: 'envelopes beside events, outside the hash', applied_at: '2024-05-13T04:00:00.000Z' },
    ]);
    raw.close();
    await store.close();
    // synchronous is a per-connection setting: read it through the store's own connection.
    const again = SqliteEventStore.open({ filename, clock });
    expect((again as unknown as { db: Database }).db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    await again.close();
  });

  it('reopens an existing file without migrating twice and keeps every event', async () => {
    await (await seed()).close();
    const store = SqliteEventStore.open({ filename, clock });
    expect(await store.readStream('seizure-a')).toHaveLength(6);
    expect((await store.verifyAll()).ok).toBe(true);
    await store.close();
    const raw = rawConnection();
    expect(raw.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 2 });
    raw.close();
  });

  it('migrates a file written before envelopes: its events read as before, with none, and still verify', async () => {
    mkdirSync(join(dir, 'nested'), { recursive: true });
    const old = new BetterSqlite3(filename);
    migrate(old, '2024-01-01T00:00:00.000Z', MIGRATIONS.slice(0, 1));
    old.close();
    // An event written as the previous release did, into a file with only migration 1.
    const legacy = new BetterSqlite3(filename);
    const [e] = chainEvents('seizure-old', 0, GENESIS_HASH, encodeNewEvents(events(1)));
    legacy
      .prepare(
        'INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata, recorded_at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)',
      )
      .run('seizure-old', 0, e.id, e.type, e.dataText, e.metadataText, '2024-01-01T00:00:00.000Z', e.prevHash, e.hash);
    legacy.close();

    const store = SqliteEventStore.open({ filename, clock });
    const [read] = await store.readStream('seizure-old');
    expect(read.hash).toBe(e.hash);
    expect('envelopes' in read).toBe(false);
    await store.appendToStream('seizure-old', [{ ...events(1)[0], envelopes: '[1]' }]);
    expect((await store.readStream('seizure-old')).map((x) => x.envelopes)).toEqual([undefined, '[1]']);
    expect((await store.verifyAll()).ok).toBe(true);
    await store.close();
  });

  it('refuses to open a file written by a newer schema', async () => {
    await (await seed()).close();
    const raw = rawConnection();
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01T00:00:00Z')").run();
    raw.close();
    expect(() => SqliteEventStore.open({ filename, clock })).toThrow(SchemaTooNewError);
  });

  it('refuses every UPDATE and DELETE of an event, even from another connection', async () => {
    const store = await seed();
    const raw = rawConnection();
    expect(() => raw.prepare(`UPDATE events SET data = '{"i":99}' WHERE global_position = 1`).run()).toThrow(/append-only: UPDATE refused/);
    expect(() => raw.prepare('DELETE FROM events WHERE global_position = 1').run()).toThrow(/append-only: DELETE refused/);
    expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/append-only: DELETE refused/);
    raw.close();
    expect(await store.readStream('seizure-a')).toHaveLength(6);
    await store.close();
  });

  it('never hands out a position twice and keeps positions dense across streams', async () => {
    const store = await seed();
    const all = await store.readAll();
    expect(all.map((e) => e.globalPosition)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await store.close();
  });

  describe('a file edited behind the store’s back is caught by verifyAll, which names the spot', () => {
    function tamper(sql: string, ...params: unknown[]): void {
      const raw = rawConnection();
      raw.exec('DROP TRIGGER IF EXISTS events_refuse_update; DROP TRIGGER IF EXISTS events_refuse_delete;');
      raw.prepare(sql).run(...params);
      raw.close();
    }

    it('one byte of one event changed', async () => {
      await (await seed()).close();
      // "मुहर संख्या 2" → "मुहर संख्या 3": one byte of revision 2 of seizure-a (position 3).
      tamper(`UPDATE events SET data = replace(data, '"i":2', '"i":3') WHERE global_position = 3`);
      const store = SqliteEventStore.open({ filename, clock });
      const result = await store.verifyAll();
      expect(result.ok).toBe(false);
      expect(result.problems[0]).toMatchObject({ kind: 'altered', streamName: 'seizure-a', revision: 2, globalPosition: 3 });
      expect(result.problems[0].detail).toMatch(/does not match its hash/);
      expect(result.problemCount).toBe(1);
      expect((await store.verifyStream('seizure-a')).problems[0]).toMatchObject({ kind: 'altered', revision: 2 });
      expect((await store.verifyStream('seizure-b')).ok).toBe(true);
      await store.close();
    });

    it('a byte changed so that the JSON no longer parses, and a stored hash rewritten', async () => {
      await (await seed()).close();
      tamper(`UPDATE events SET metadata = '{' WHERE global_position = 5`);
      tamper(`UPDATE events SET hash = ? WHERE global_position = 7`, 'f'.repeat(64));
      const store = SqliteEventStore.open({ filename, clock });
      const { problems } = await store.verifyAll();
      expect(problems).toEqual([
        expect.objectContaining({
          kind: 'altered',
          streamName: 'seizure-b',
          revision: 0,
          globalPosition: 5,
          detail: expect.stringMatching(/metadata is not valid JSON/),
        }),
        expect.objectContaining({ kind: 'altered', streamName: 'seizure-b', revision: 2, globalPosition: 7 }),
      ]);
      await store.close();
    });

    it('one event deleted', async () => {
      await (await seed()).close();
      tamper('DELETE FROM events WHERE global_position = 2');
      const store = SqliteEventStore.open({ filename, clock });
      const { ok, problems } = await store.verifyAll();
      expect(ok).toBe(false);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'missing', globalPosition: 3, detail: expect.stringMatching(/position 2 is missing/) }),
          expect.objectContaining({
            kind: 'missing',
            streamName: 'seizure-a',
            revision: 2,
            detail: expect.stringMatching(/revision 1 is missing/),
          }),
        ]),
      );
      expect(problems[0].globalPosition).toBe(3);
      await store.close();
    });

    it('the last event of a stream deleted, when it was also the last of the log, shows as a position gap once more events follow', async () => {
      const store = await seed();
      await store.close();
      tamper('DELETE FROM events WHERE global_position = 9');
      const reopened = SqliteEventStore.open({ filename, clock });
      await reopened.appendToStream('seizure-c', events(1));
      const { problems } = await reopened.verifyAll();
      expect(problems).toEqual([
        expect.objectContaining({ kind: 'missing', globalPosition: 10, detail: expect.stringMatching(/position 9 is missing/) }),
      ]);
      await reopened.close();
    });

    it('two events of one stream reordered', async () => {
      await (await seed()).close();
      // Swap the positions of seizure-a revisions 1 and 2 (positions 2 and 3).
      tamper('UPDATE events SET global_position = 100 WHERE global_position = 2');
      tamper('UPDATE events SET global_position = 2 WHERE global_position = 3');
      tamper('UPDATE events SET global_position = 3 WHERE global_position = 100');
      const store = SqliteEventStore.open({ filename, clock });
      const { problems } = await store.verifyAll();
      expect(problems).toEqual([expect.objectContaining({ kind: 'reordered', streamName: 'seizure-a', revision: 1, globalPosition: 3 })]);
      await store.close();
    });

    it('a forged event inserted into a chain', async () => {
      await (await seed()).close();
      // A well-formed event for revision 3 of seizure-b, hashed correctly but chained to nothing.
      const forged = {
        streamName: 'seizure-b',
        revision: 3,
        eventId: randomUUID(),
        type: 'ItemsReleased',
        dataText: '{"to":"someone"}',
        metadataText: '{}',
        prevHash: 'a'.repeat(64),
      };
      tamper(
        'INSERT INTO events (stream_name, stream_revision, event_id, event_type, data, metadata, recorded_at, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)',
        forged.streamName,
        forged.revision,
        forged.eventId,
        forged.type,
        forged.dataText,
        forged.metadataText,
        '2024-05-13T04:00:00.000Z',
        forged.prevHash,
        computeEventHash(forged),
      );
      const store = SqliteEventStore.open({ filename, clock });
      const { problems } = await store.verifyAll();
      expect(problems).toEqual([expect.objectContaining({ kind: 'inserted', streamName: 'seizure-b', revision: 3, globalPosition: 10 })]);
      await store.close();
    });
  });

  it('refuses a malformed expected revision as the EventStoreDB store does, writing nothing', async () => {
    const store = SqliteEventStore.open({ filename, clock });
    for (const bad of [-1, 1.5, Number.NaN, '3', 'latest']) {
      const options = { expectedRevision: bad } as unknown as Parameters<SqliteEventStore['appendToStream']>[2];
      await expect(store.appendToStream('seizure-x', events(1), options)).rejects.toBeInstanceOf(InvalidEventError);
    }
    expect((await store.health()).lastGlobalPosition).toBe(0);
    await store.close();
  });

  it('says it is unavailable once closed, in every call and in health', async () => {
    const store = await seed();
    await store.close();
    await expect(store.appendToStream('seizure-a', events(1))).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.health()).toMatchObject({ kind: 'sqlite', reachable: false, lastGlobalPosition: null });
  });

  it('completes live subscriptions when closed', async () => {
    const store = await seed();
    const seen: number[] = [];
    const completed = new Promise<void>((done) =>
      store.subscribeToAll(0).subscribe({ next: (e) => seen.push(e.globalPosition), complete: done }),
    );
    await new Promise((r) => setTimeout(r, 20));
    await store.close();
    await completed;
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  describe('other processes', () => {
    function runWriter(args: string[]): {
      done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
      kill(): void;
      onLine(fn: (line: string) => void): void;
    } {
      const child = spawn(process.execPath, [...FROM_SOURCES, writerScript, ...args], {
        cwd: projectRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      const listeners: Array<(line: string) => void> = [];
      let partial = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        partial += chunk.toString();
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) listeners.forEach((fn) => fn(line));
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolveDone) =>
        child.on('exit', (code, signal) => resolveDone({ code, signal, stdout, stderr })),
      );
      return { done, kill: () => child.kill('SIGKILL'), onLine: (fn) => listeners.push(fn) };
    }

    it('a writer killed with SIGKILL mid-append leaves no partial batch, keeps every acknowledged append, and a chain that verifies', async () => {
      await (await seed()).close();
      const writer = runWriter(['crash', filename]);
      const acked = new Map<string, number>();
      let ackCount = 0;
      writer.onLine((line) => {
        const [word, stream, revision] = line.split(' ');
        if (word !== 'acked') return;
        acked.set(stream, Number(revision));
        if (++ackCount === 60) writer.kill();
      });
      const exit = await writer.done;
      expect(exit.signal).toBe('SIGKILL');
      expect(ackCount).toBeGreaterThanOrEqual(60);

      const store = SqliteEventStore.open({ filename, clock });
      for (let s = 0; s < 5; s++) {
        const stream = `crash-${s}`;
        const stored = await store.readStream(stream);
        expect(stored.length % 10).toBe(0); // whole batches only
        expect(stored.length - 1).toBeGreaterThanOrEqual(acked.get(stream) ?? -1);
      }
      const verification = await store.verifyAll();
      expect(verification).toMatchObject({ ok: true, problemCount: 0 });
      expect(verification.eventsChecked).toBeGreaterThanOrEqual(9 + 600);
      await store.close();
    }, 60_000);

    it('a writer killed with SIGKILL during group commit loses no acknowledged append and leaves no partial one', async () => {
      const writer = runWriter(['crash-group', filename]);
      const acked = new Map<string, number>();
      let ackCount = 0;
      let stats = { transactions: 0, appends: 0 };
      writer.onLine((line) => {
        const [word, stream, revision, transactions, appends] = line.split(' ');
        if (word !== 'acked') return;
        acked.set(stream, Number(revision));
        stats = { transactions: Number(transactions), appends: Number(appends) };
        if (++ackCount === 1500) writer.kill();
      });
      const exit = await writer.done;
      expect(exit.signal).toBe('SIGKILL');
      // The kill fell among grouped commits, not one-append transactions.
      expect(stats.appends / stats.transactions).toBeGreaterThan(4);

      const store = SqliteEventStore.open({ filename, clock });
      const all = await store.readAll();
      const byAppend = new Map<string, { of: number; seen: number }>();
      for (const e of all) {
        const { append, of } = e.data as { append: string; of: number };
        const entry = byAppend.get(append) ?? { of, seen: 0 };
        entry.seen += 1;
        byAppend.set(append, entry);
      }
      for (const [append, { of, seen }] of byAppend) expect({ append, seen }).toEqual({ append, seen: of }); // whole appends only
      for (const [stream, revision] of acked) {
        const stored = await store.readStream(stream);
        expect(stored.length - 1).toBeGreaterThanOrEqual(revision);
      }
      expect(await store.verifyAll()).toMatchObject({ ok: true, problemCount: 0 });
      await store.close();
    }, 60_000);

    it('writers in several processes appending to one stream keep one unbroken chain', async () => {
      await (await seed()).close();
      const writers = Array.from({ length: 3 }, () => runWriter(['race-any', filename, '40']));
      const exits = await Promise.all(writers.map((w) => w.done));
      for (const exit of exits) expect(exit).toMatchObject({ code: 0, stderr: '' });

      const store = SqliteEventStore.open({ filename, clock });
      const stream = await store.readStream('race-any');
      expect(stream.map((e) => e.revision)).toEqual(Array.from({ length: 3 * 40 * 3 }, (_, i) => i));
      expect((await store.verifyAll()).ok).toBe(true);
      await store.close();
    }, 60_000);

    it('writers in several processes racing with exact revisions: every win is one event, every loss a typed conflict', async () => {
      await (await seed()).close();
      const writers = Array.from({ length: 3 }, () => runWriter(['race-exact', filename, '60']));
      const exits = await Promise.all(writers.map((w) => w.done));
      let won = 0;
      for (const exit of exits) {
        expect(exit).toMatchObject({ code: 0, stderr: '' });
        const tally = /^won (\d+) lost (\d+)$/.exec(exit.stdout.trim());
        expect(tally).not.toBeNull();
        const [w, l] = [Number(tally?.[1]), Number(tally?.[2])];
        expect(w + l).toBe(60);
        won += w;
      }
      const store = SqliteEventStore.open({ filename, clock });
      expect(await store.readStream('race-exact')).toHaveLength(won);
      expect((await store.verifyStream('race-exact')).ok).toBe(true);
      await store.close();
    }, 60_000);
  });
});
