import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { SqliteEventStore } from '../ledger/sqlite/sqlite-event-store';
import { systemClock } from '../shared/clock';
import { openDurableDatabase } from '../platform/sqlite/durable-database';
import { Checkpoints, prepareReadModelSchema } from './checkpoints';
import { Projector, type ProjectorLogger } from './projector';
import { ProjectorLock } from './projector-lock';
import { appendWorkload, createTestProjection, dumpTestProjection } from './projector.test-support';
import { REGISTERED_PROJECTIONS } from '../registered-projections';
import { rebuildProjections } from './rebuild';
import { FROM_SOURCES } from '../../test/support/cli-process';

jest.setTimeout(60_000);

const projectRoot = resolve(__dirname, '../..');
const TOTAL = 1000;

describe('rebuilding read models (real SQLite file)', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let db: Database;
  let checkpoints: Checkpoints;
  let child: ChildProcess | undefined;

  /** Builds the test read model by live updating while events are still being appended; returns its rows. */
  async function liveUpdated(): Promise<ReturnType<typeof dumpTestProjection>> {
    const projector = new Projector(db, store, [createTestProjection()], { batchSize: 37 });
    await projector.start();
    await Promise.all([
      appendWorkload(store, TOTAL / 2, { seed: 31, seizures: 20 }),
      appendWorkload(store, TOTAL / 2, { seed: 32, seizures: 20 }),
    ]);
    expect(await projector.waitForPosition(TOTAL, 20_000)).toBe(true);
    await projector.stop();
    return dumpTestProjection(db);
  }

  const rebuild = async (options: { restart?: boolean; signal?: AbortSignal; batchSize?: number } = {}) => {
    const lock = new ProjectorLock(db, 'rebuild');
    expect(lock.tryAcquire().acquired).toBe(true);
    try {
      return await rebuildProjections(db, store, [createTestProjection()], { lock, batchSize: 64, ...options });
    } finally {
      lock.release();
    }
  };

  /** Runs a slowed-down rebuild in another process and kills it with SIGKILL once it has committed past `killAfter`. */
  async function killedRebuild(killAfter: number): Promise<number> {
    child = spawn(process.execPath, [...FROM_SOURCES, 'test/support/projector-process.ts', 'rebuild', file, '50', '15', 'restart'], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const running = child;
    let stderr = '';
    running.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((done, fail) => {
      let buffered = '';
      running.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const positions = [...buffered.matchAll(/committed (\d+)/g)].map((m) => Number(m[1]));
        if (positions.some((p) => p >= killAfter)) {
          running.kill('SIGKILL');
          done();
        }
      });
      running.once('exit', (code) => fail(new Error(`rebuild process exited (${code}) before it was killed: ${stderr}`)));
    });
    await new Promise((r) => running.once('exit', r));
    const checkpoint = checkpoints.get('test-projection');
    expect(checkpoint?.status).toBe('rebuilding');
    return checkpoint?.position ?? -1;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-'));
    file = join(dir, 'ledger.sqlite');
    store = SqliteEventStore.open({ filename: file, clock: systemClock, pollIntervalMs: 20 });
    db = openDurableDatabase(file, prepareReadModelSchema);
    checkpoints = new Checkpoints(db);
  });

  afterEach(async () => {
    child?.kill('SIGKILL');
    child = undefined;
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('produces exactly the rows live updating produced', async () => {
    const live = await liveUpdated();
    expect(live.events.length).toBeGreaterThan(TOTAL * 0.8);

    const result = await rebuild({ restart: true });
    expect(result).toMatchObject({
      fromPosition: 0,
      position: TOTAL,
      events: TOTAL,
      interrupted: false,
      projections: [{ name: 'test-projection', resumedFrom: null }],
    });
    expect(dumpTestProjection(db)).toEqual(live);
    expect(checkpoints.get('test-projection')).toEqual({ name: 'test-projection', version: 1, position: TOTAL, status: 'live' });
  });

  it('killed with SIGKILL midway, continues from its last committed batch and ends with the same rows', async () => {
    const live = await liveUpdated();
    const killedAt = await killedRebuild(300);
    expect(killedAt).toBeGreaterThanOrEqual(300);
    expect(killedAt).toBeLessThan(TOTAL);
    expect(killedAt % 50).toBe(0);
    // Whatever the kill interrupted was rolled back: the rows end exactly at the checkpoint.
    const partial = dumpTestProjection(db).events as Array<{ global_position: number }>;
    expect(Math.max(...partial.map((r) => r.global_position))).toBeLessThanOrEqual(killedAt);
    expect(partial).toEqual((live.events as Array<{ global_position: number }>).filter((r) => r.global_position <= killedAt));

    // The dead process's lock is taken over; without --restart the rebuild continues.
    const result = await rebuild();
    expect(result.projections).toEqual([{ name: 'test-projection', resumedFrom: killedAt }]);
    expect(result.events).toBe(TOTAL - killedAt);
    expect(dumpTestProjection(db)).toEqual(live);
    expect(checkpoints.get('test-projection')?.status).toBe('live');
  });

  it('an interrupted rebuild is finished by the server too, from where it stopped', async () => {
    const live = await liveUpdated();
    const killedAt = await killedRebuild(200);
    const lines: string[] = [];
    const logger: ProjectorLogger = { log: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const projector = new Projector(db, store, [createTestProjection()], { logger });
    await projector.start();
    try {
      expect(lines).toContain(`read model "test-projection" (version 1) is being rebuilt from position ${killedAt}`);
      expect(await projector.waitForPosition(TOTAL, 10_000)).toBe(true);
      expect(checkpoints.get('test-projection')?.status).toBe('live');
      expect(lines).toContain(`read model "test-projection" is rebuilt and live at position ${TOTAL}`);
      expect(dumpTestProjection(db)).toEqual(live);
    } finally {
      await projector.stop();
    }
  });

  it('stops after the batch in progress when aborted; the next run continues unless told to restart', async () => {
    await appendWorkload(store, 500, { seed: 41 });
    const abort = new AbortController();
    const lock = new ProjectorLock(db, 'rebuild');
    lock.tryAcquire();
    const first = await rebuildProjections(db, store, [createTestProjection()], {
      lock,
      batchSize: 100,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done >= 200) abort.abort();
      },
    });
    lock.release();
    expect(first).toMatchObject({ interrupted: true, position: 200, events: 200 });
    expect(checkpoints.get('test-projection')).toMatchObject({ position: 200, status: 'rebuilding' });

    const second = await rebuild();
    expect(second).toMatchObject({ interrupted: false, fromPosition: 200, events: 300, projections: [{ resumedFrom: 200 }] });
    const reference = dumpTestProjection(db);

    const restarted = await rebuild({ restart: true });
    expect(restarted).toMatchObject({ fromPosition: 0, events: 500, projections: [{ resumedFrom: null }] });
    // A live read model is rebuilt from zero even without --restart: only a 'rebuilding' one continues.
    expect((await rebuild()).projections).toEqual([{ name: 'test-projection', resumedFrom: null }]);
    expect(dumpTestProjection(db)).toEqual(reference);
  });

  it("puts the read models' query indexes aside while rebuilding and back at the end, also when continued or finished by the server", async () => {
    await appendWorkload(store, 400, { seed: 43 });
    type IndexRow = { name: string; sql: string };
    const indexSet = () =>
      db.prepare<[], IndexRow>(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all();
    const isUnique = (i: IndexRow) => /^\s*CREATE\s+UNIQUE\b/i.test(i.sql);
    const quiet: ProjectorLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
    const projectLive = async () => {
      const projector = new Projector(db, store, REGISTERED_PROJECTIONS, { logger: quiet });
      await projector.start();
      expect(await projector.waitForPosition(400, 20_000)).toBe(true);
      await projector.stop();
    };
    const rebuildAll = async (options: { restart?: boolean; abortAfter?: number }) => {
      const abort = new AbortController();
      const lock = new ProjectorLock(db, 'rebuild');
      expect(lock.tryAcquire().acquired).toBe(true);
      try {
        return await rebuildProjections(db, store, REGISTERED_PROJECTIONS, {
          lock,
          batchSize: 100,
          restart: options.restart,
          signal: abort.signal,
          onProgress: (p) => {
            if (options.abortAfter !== undefined && p.done >= options.abortAfter) abort.abort();
          },
        });
      } finally {
        lock.release();
      }
    };
    await projectLive();
    const expected = indexSet();
    expect(expected.filter((i) => !isUnique(i)).length).toBeGreaterThan(0);

    expect(await rebuildAll({ restart: true, abortAfter: 100 })).toMatchObject({ interrupted: true, position: 100 });
    const aside = indexSet();
    expect(aside.filter((i) => !isUnique(i))).toEqual([]);
    expect(aside).toEqual(expected.filter(isUnique));

    // Continued: put aside again for the rest of the run, back at its end.
    expect(await rebuildAll({ abortAfter: 100 })).toMatchObject({
      interrupted: true,
      position: 200,
      projections: expect.arrayContaining([{ name: 'deadline-watch', resumedFrom: 100 }]),
    });
    expect(indexSet()).toEqual(aside);
    expect(await rebuildAll({})).toMatchObject({ interrupted: false, position: 400 });
    expect(indexSet()).toEqual(expected);

    // Interrupted, then finished by a server starting.
    await rebuildAll({ restart: true, abortAfter: 100 });
    expect(indexSet()).toEqual(aside);
    await projectLive();
    expect(indexSet()).toEqual(expected);
    expect(checkpoints.states(REGISTERED_PROJECTIONS).every((s) => s.failure === undefined)).toBe(true);
  });

  it('reports progress per batch: events done of the total, positions, and the head', async () => {
    await appendWorkload(store, 250, { seed: 42 });
    const seen: Array<[number, number | null, number]> = [];
    const lock = new ProjectorLock(db, 'rebuild');
    lock.tryAcquire();
    await rebuildProjections(db, store, [createTestProjection()], {
      lock,
      batchSize: 100,
      onProgress: (p) => seen.push([p.done, p.total, p.position]),
    });
    expect(seen).toEqual([
      [0, 250, 0],
      [100, 250, 100],
      [200, 250, 200],
      [250, 250, 250],
    ]);
  });
});
