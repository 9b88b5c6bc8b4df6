import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { FROM_SOURCES } from '../../../test/support/cli-process';
import type { TestWorkerData } from '../../../test/support/projector-test-worker';
import type { NewEvent } from '../../ledger/event-store';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../shared/clock';
import { ProjectorLock } from '../projector-lock';
import { appendWorkload, dumpTestProjection, seizureRecordedData } from '../projector.test-support';
import { openReadModelDatabase } from '../read-model-database';
import { PROJECTOR_RESOURCE_LIMITS, ProjectorThread } from './projector-thread';

jest.setTimeout(60_000);

const WORKER_FILE = resolve(__dirname, '../../../test/support/projector-test-worker.ts');
const SERVER_WORKER_FILE = resolve(__dirname, '../../projector.worker.ts');

class MemoryLogger {
  readonly lines: string[] = [];
  log = (m: string) => void this.lines.push(`log ${m}`);
  warn = (m: string) => void this.lines.push(`warn ${m}`);
  error = (m: string) => void this.lines.push(`error ${m}`);
}

const metadata = {
  actor: { sub: 'u-1', name: 'A', unit: 'U', agency: 'police', roles: ['officer'] },
  occurredAt: '2024-04-20T06:00:00.000Z',
};
const revaluation = (reason: string): NewEvent => ({
  id: randomUUID(),
  type: 'ItemsValued',
  data: { valuations: [{ itemId: 'item-cash', valuePaise: 5, previousValuePaise: 100_000 }], basis: 'test', reason },
  metadata: { ...metadata, command: 'test', schemaVersion: 1 },
});

describe('ProjectorThread (the projector in a worker thread, real SQLite files)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: Database;
  let logger: MemoryLogger;
  let thread: ProjectorThread | undefined;

  const startThread = async (data: TestWorkerData = { dataDir: dir }, workerFile = WORKER_FILE): Promise<ProjectorThread> => {
    thread = new ProjectorThread({
      workerFile,
      workerData: data,
      execArgv: [...FROM_SOURCES],
      logger,
      appendsCommitted: store.appendsCommitted,
    });
    await thread.start();
    return thread;
  };
  const head = async () => (await store.health()).lastGlobalPosition ?? 0;
  const recordSeizure = (seizureId: string) =>
    store.appendToStream(`seizure-${seizureId}`, [
      {
        id: randomUUID(),
        type: 'SeizureRecorded',
        data: seizureRecordedData(seizureId),
        metadata: { ...metadata, command: 'test', schemaVersion: 1 },
      },
    ]);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'projector-thread-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: systemClock });
    db = openReadModelDatabase({ dataDir: dir, eventStoreConnectionString: undefined });
    logger = new MemoryLogger();
  });

  afterEach(async () => {
    await thread?.stop();
    thread = undefined;
    await store.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies what this thread appends, and answers read-your-writes waits from the worker's reports", async () => {
    const projector = await startThread();
    await appendWorkload(store, 120, { seed: 7 });
    const position = await head();

    // The worker polls once a minute: only the append notices can bring it there within the wait.
    await expect(projector.waitForPosition(position, 30_000)).resolves.toBe(true);
    expect(projector.position).toBe(position);
    expect(projector.status).toBe('running');
    expect(projector.health(position)).toEqual({ position, lag: 0, status: 'running' });
    // Read through this thread's own connection: the worker committed every event.
    const seizureEvents = (await store.readAll()).filter((e) => e.streamName.startsWith('seizure-'));
    expect(dumpTestProjection(db, 'follows').events).toHaveLength(seizureEvents.length);
    expect(logger.lines.some((line) => line.startsWith('log projecting 2 read models from position 0'))).toBe(true);
  });

  it('reports a read model that fails on its own, while the other goes on', async () => {
    const projector = await startThread();
    const seizureId = randomUUID();
    await recordSeizure(seizureId);
    await store.appendToStream(`seizure-${seizureId}`, [revaluation('refuse')]);
    await store.appendToStream(`seizure-${seizureId}`, [revaluation('fine')]);

    await expect(projector.waitForPosition(3, 30_000, ['follows'])).resolves.toBe(true);
    await expect(projector.waitForPosition(3, 30_000, ['refuses'])).resolves.toBe(false);
    expect(projector.failedAmong(['refuses'])).toEqual([
      expect.objectContaining({
        name: 'refuses',
        position: 1,
        failure: expect.objectContaining({ position: 2, eventType: 'ItemsValued' }),
      }),
    ]);
    expect(projector.health(3)).toMatchObject({
      position: 3,
      status: 'running',
      failedReadModels: [expect.objectContaining({ name: 'refuses' })],
    });
    expect(logger.lines.some((line) => line.startsWith('error') && line.includes('"refuses"'))).toBe(true);
  });

  it('stops cleanly: the batch is applied, the writer lock released, the status stopped', async () => {
    const projector = await startThread();
    await appendWorkload(store, 30, { seed: 3 });
    await expect(projector.waitForPosition(await head(), 30_000)).resolves.toBe(true);
    expect(ProjectorLock.holder(db)).toMatchObject({ purpose: 'server', pid: process.pid });

    await projector.stop();
    await projector.stop();

    expect(projector.status).toBe('stopped');
    expect(ProjectorLock.holder(db)).toBeUndefined();
    // Nothing can move any more: a wait answers at once.
    await expect(projector.waitForPosition((await head()) + 1, 30_000)).resolves.toBe(false);
  });

  it('is failed, not hanging, when the worker dies: waiters get false and the log says why', async () => {
    const projector = await startThread();
    const seizureId = randomUUID();
    const waiting = projector.waitForPosition(2, 30_000);
    await recordSeizure(seizureId);
    await store.appendToStream(`seizure-${seizureId}`, [revaluation('crash')]);

    await expect(waiting).resolves.toBe(false);
    expect(projector.status).toBe('failed');
    expect(projector.health(2)).toMatchObject({ status: 'failed', detail: 'the projector failed; see the server log' });
    expect(logger.lines).toContainEqual(expect.stringMatching(/^error the projector thread exited \(code 3\)/));
  });

  it('says it is stopped as soon as the store it follows is closed', async () => {
    const projector = await startThread();
    await store.close();

    expect(projector.health(null)).toEqual({ position: 0, lag: null, status: 'stopped', detail: 'the event store was closed' });
  });

  it("catches up 3,000 events (three of its batches) with the server's worker, every registered read model, within its memory limits", async () => {
    expect(PROJECTOR_RESOURCE_LIMITS.maxYoungGenerationSizeMb).toBeGreaterThan(0);
    // The old generation must keep V8's limit: a worker out of memory would leave the projector failed.
    expect(PROJECTOR_RESOURCE_LIMITS.maxOldGenerationSizeMb).toBeUndefined();
    await appendWorkload(store, 3_000, { seed: 11, seizures: 150 });
    const position = await head();
    expect(position).toBeGreaterThanOrEqual(3_000);

    const projector = await startThread({ dataDir: dir }, SERVER_WORKER_FILE);

    await expect(projector.waitForPosition(position, 110_000)).resolves.toBe(true);
    expect(projector.health(position)).toEqual({ position, lag: 0, status: 'running' });
    expect(projector.failures()).toEqual([]);
    expect(projector.readModels().length).toBeGreaterThan(1);
    for (const model of projector.readModels()) expect(model.position).toBe(position);
    // Written by the worker, read through this thread's own connection: every seizure was projected.
    expect(db.prepare('SELECT count(*) AS n FROM custody_history_seizures').get()).toEqual({ n: 150 });
    expect(logger.lines.filter((line) => line.startsWith('error'))).toEqual([]);
  }, 120_000);

  it('refuses to start when the worker cannot open its databases', async () => {
    // A data dir that is a file: neither database can be created in it.
    const notADir = join(dir, 'ledger.sqlite');
    await expect(startThread({ dataDir: notADir })).rejects.toThrow(/^the projector thread could not start: /);
    thread = undefined;
  });
});
