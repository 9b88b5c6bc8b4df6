import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { SqliteEventStore } from '../ledger/sqlite/sqlite-event-store';
import { systemClock } from '../shared/clock';
import { openDurableDatabase } from '../platform/sqlite/durable-database';
import { Observable } from 'rxjs';
import type { RecordedEvent } from '../ledger/event-store';
import type { ProjectedEvent, Projection } from './projection';
import { Checkpoints, prepareReadModelSchema } from './checkpoints';
import { Projector, type ProjectorLogger, type ProjectorOptions } from './projector';
import { ProjectorLock } from './projector-lock';
import { appendWorkload, createTestProjection, dumpTestProjection, seizureRecordedData } from './projector.test-support';
import { rebuildProjections } from './rebuild';
import { FROM_SOURCES } from '../../test/support/cli-process';

jest.setTimeout(30_000);

const projectRoot = resolve(__dirname, '../..');

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const metadata = (occurredAt = '2024-04-20T06:00:00.000Z') => ({
  actor: { sub: 'u-1', name: 'A', unit: 'U', agency: 'police', roles: ['officer'] },
  occurredAt,
  command: 'test',
  schemaVersion: 1,
});

class MemoryLogger implements ProjectorLogger {
  readonly lines: string[] = [];
  log = (m: string) => void this.lines.push(`log ${m}`);
  warn = (m: string) => void this.lines.push(`warn ${m}`);
  error = (m: string) => void this.lines.push(`error ${m}`);
}

describe('Projector (real SQLite file)', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let db: Database;
  const running: Projector[] = [];
  const children: ChildProcess[] = [];

  const projector = (projections: Projection[], options?: ProjectorOptions) => {
    const p = new Projector(db, store, projections, options);
    running.push(p);
    return p;
  };
  const head = async () => (await store.health()).lastGlobalPosition ?? 0;
  /** The same projection rebuilt from scratch in a database of its own: what the live copy must equal. */
  const rebuiltReference = async () => {
    const reference = openDurableDatabase(join(dir, `reference-${randomUUID()}.sqlite`), prepareReadModelSchema);
    try {
      const lock = new ProjectorLock(reference, 'rebuild');
      lock.tryAcquire();
      await rebuildProjections(reference, store, [createTestProjection()], { lock, batchSize: 97 });
      return dumpTestProjection(reference);
    } finally {
      reference.close();
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-projector-'));
    file = join(dir, 'ledger.sqlite');
    store = SqliteEventStore.open({ filename: file, clock: systemClock, pollIntervalMs: 20 });
    db = openDurableDatabase(file, prepareReadModelSchema);
  });

  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop();
    for (const c of children.splice(0)) c.kill('SIGKILL');
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows the log: catches up, goes live, and reports its position; other streams only move the checkpoint', async () => {
    await appendWorkload(store, 120, { seed: 7 });
    const p = projector([createTestProjection()]);
    await p.start();
    expect(await p.waitForPosition(await head(), 5000)).toBe(true);
    expect(p.position).toBe(120);

    await appendWorkload(store, 80, { seed: 8 });
    expect(await p.waitForPosition(200, 5000)).toBe(true);
    const rows = dumpTestProjection(db);
    const seizureEvents = (await store.readAll()).filter((e) => e.streamName.startsWith('seizure-'));
    expect(rows.events).toHaveLength(seizureEvents.length);
    expect(seizureEvents.length).toBeLessThan(200);
    expect(new Checkpoints(db).get('test-projection')).toEqual({ name: 'test-projection', version: 1, position: 200, status: 'live' });
    expect(dumpTestProjection(db)).toEqual(await rebuiltReference());
    expect(p.health(210)).toEqual({ position: 200, lag: 10, status: 'running' });
  });

  it('waitForPosition resolves when the position is reached, or false after the timeout', async () => {
    const p = projector([createTestProjection()]);
    await p.start();
    expect(await p.waitForPosition(0, 10)).toBe(true);
    const started = Date.now();
    expect(await p.waitForPosition(1, 100)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);

    const waiting = p.waitForPosition(3, 5000);
    await appendWorkload(store, 3);
    expect(await waiting).toBe(true);
  });

  it('applies everything available, up to the batch size, in one transaction with the checkpoint', async () => {
    await appendWorkload(store, 250, { seed: 3 });
    const seen: Array<[number, number]> = [];
    const checkpoints = new Checkpoints(db);
    const spy = createTestProjection({
      // Inside a batch the checkpoint still says where the previous batch ended.
      onApply: (_db, e) => void seen.push([e.globalPosition, checkpoints.get('test-projection')?.position ?? -1]),
    });
    const p = projector([spy], { batchSize: 100 });
    await p.start();
    await p.waitForPosition(250, 5000);
    const checkpointSeenBy = (position: number) => seen.filter(([at]) => at <= position).pop()?.[1];
    expect(checkpointSeenBy(100)).toBe(0);
    expect(checkpointSeenBy(200)).toBe(100);
    expect(checkpointSeenBy(250)).toBe(200);
  });

  it('marks a projection that throws failed at that event, keeping what came before it, and says so; a fixed projection resumes from there', async () => {
    await appendWorkload(store, 60, { seed: 5 });
    const events = await store.readAll();
    const poison = events.filter((e) => e.streamName.startsWith('seizure-'))[40];
    const logger = new MemoryLogger();
    const failing = projector([createTestProjection({ failOn: (e) => e.globalPosition === poison.globalPosition })], {
      batchSize: 25,
      logger,
    });
    await failing.start();
    await until(() => failing.failures().length > 0);

    const checkpoint = new Checkpoints(db).get('test-projection');
    // Batches of 25: what came before the poison event in its batch is kept, the poison event's writes are not.
    expect(checkpoint).toEqual({
      name: 'test-projection',
      version: 1,
      position: poison.globalPosition - 1,
      // It was replaying the log from the start when it failed, and stays so until it catches up.
      status: 'rebuilding',
      failure: {
        position: poison.globalPosition,
        eventId: poison.id,
        eventType: poison.type,
        streamName: poison.streamName,
        error: `test projection refuses event #${poison.globalPosition}`,
      },
    });
    expect(dumpTestProjection(db).events.every((row) => (row as { global_position: number }).global_position < poison.globalPosition)).toBe(
      true,
    );
    expect(dumpTestProjection(db).events).toHaveLength(
      events.filter((e) => e.streamName.startsWith('seizure-') && e.globalPosition < poison.globalPosition).length,
    );
    // Its only read model failed: nothing moves, and waiting for more answers at once.
    expect(failing.status).toBe('running');
    expect(failing.position).toBe(poison.globalPosition - 1);
    const started = Date.now();
    expect(await failing.waitForPosition(60, 5000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    const health = failing.health(60);
    expect(health).toMatchObject({ status: 'running', position: poison.globalPosition - 1, lag: 60 - (poison.globalPosition - 1) });
    expect(health.detail).toBe(
      `read model "test-projection" failed on event #${poison.globalPosition} (${poison.type}, id ${poison.id}); see the server log`,
    );
    expect(health.failedReadModels).toEqual([
      {
        name: 'test-projection',
        position: poison.globalPosition - 1,
        failedAt: { position: poison.globalPosition, eventId: poison.id, eventType: poison.type, streamName: poison.streamName },
        error: `test projection refuses event #${poison.globalPosition}`,
      },
    ]);
    expect(logger.lines.find((l) => l.startsWith('error'))).toContain(`test projection refuses event #${poison.globalPosition}`);

    // "Deploying fixed code": a new projector on the same database retries it from its own checkpoint.
    await failing.stop();
    expect(ProjectorLock.holder(db)).toBeUndefined();
    const fixed = projector([createTestProjection()]);
    await fixed.start();
    expect(await fixed.waitForPosition(60, 5000)).toBe(true);
    expect(fixed.failures()).toEqual([]);
    expect(new Checkpoints(db).get('test-projection')).toEqual({ name: 'test-projection', version: 1, position: 60, status: 'live' });
    expect(dumpTestProjection(db)).toEqual(await rebuiltReference());
  });

  it('marks the projections that need an event it cannot upcast failed at it, instead of skipping it', async () => {
    await appendWorkload(store, 5);
    await store.appendToStream(`seizure-${randomUUID()}`, [
      { id: randomUUID(), type: 'SeizureTeleported', data: {}, metadata: metadata() },
    ]);
    const p = projector([createTestProjection()], { batchSize: 5 });
    await p.start();
    await until(() => p.failures().length > 0);
    expect(p.position).toBe(5);
    expect(dumpTestProjection(db).events).toHaveLength(5);
    expect(p.health(6).detail).toMatch(
      /^read model "test-projection" failed on event #6 \(SeizureTeleported, id [0-9a-f-]+\); see the server log$/,
    );
    expect(p.failures()[0].failure).toMatchObject({
      position: 6,
      eventType: 'SeizureTeleported',
      error: expect.stringContaining('cannot be projected'),
    });
  });

  it('hands projections the current shape of old events (upcast by their schema version)', async () => {
    const seizureId = randomUUID();
    const seen: ProjectedEvent[] = [];
    await store.appendToStream(`seizure-${seizureId}`, [
      { id: randomUUID(), type: 'SeizureRecorded', data: seizureRecordedData(seizureId), metadata: metadata() },
      {
        id: randomUUID(),
        type: 'CustodyTransferAccepted',
        // Stored as schema version 1: one verdict for all seals.
        data: {
          transferId: 't-1',
          itemIds: ['item-cash'],
          from: { kind: 'team', id: 'FS', name: 'FS' },
          to: { kind: 'treasury', id: 'TR', name: 'TR' },
          sealsIntact: true,
          sealNumbersFound: ['S-1'],
          countedQuantities: [{ itemId: 'item-cash', quantity: 100_000 }],
          remarks: '',
        },
        metadata: metadata(),
      },
    ]);
    const p = projector([createTestProjection({ onApply: (_db, e) => void seen.push(e) })]);
    await p.start();
    await p.waitForPosition(2, 5000);
    expect(seen[1]).toMatchObject({
      type: 'CustodyTransferAccepted',
      seizureId,
      revision: 1,
      globalPosition: 2,
      data: { seals: [{ number: 'S-1', condition: 'intact' }] },
      metadata: { actor: { sub: 'u-1' }, occurredAt: '2024-04-20T06:00:00.000Z' },
    });
    expect(seen[1].data).not.toHaveProperty('sealsIntact');
    expect(Object.isFrozen(seen[1].data)).toBe(true);
  });

  it('rebuilds a projection whose version changed, and gives each projection only the events beyond its own checkpoint', async () => {
    await appendWorkload(store, 100, { seed: 11 });
    const first = projector([createTestProjection({ version: 1 })]);
    await first.start();
    await first.waitForPosition(100, 5000);
    await first.stop();
    const before = dumpTestProjection(db);
    await appendWorkload(store, 30, { seed: 12 });

    // Version 2 of the same read model, and a read model seen for the first time.
    const logger = new MemoryLogger();
    const second = projector([createTestProjection({ version: 2 }), createTestProjection({ name: 'newcomer' })], { logger });
    await second.start();
    expect(await second.waitForPosition(130, 5000)).toBe(true);
    const checkpoints = new Checkpoints(db);
    expect(checkpoints.get('test-projection')).toMatchObject({ version: 2, position: 130, status: 'live' });
    expect(checkpoints.get('newcomer')).toMatchObject({ version: 1, position: 130, status: 'live' });
    expect(logger.lines).toContain('log read model "test-projection" (version 2) is being rebuilt from position 0');
    const reference = await rebuiltReference();
    expect(dumpTestProjection(db)).toEqual(reference);
    expect(dumpTestProjection(db, 'newcomer')).toEqual(reference);
    expect(reference.events.slice(0, before.events.length)).toEqual(before.events);
  });

  it('lets one process write at a time: a second projector stands by, follows the first, and takes over when it stops', async () => {
    await appendWorkload(store, 40);
    const writer = projector([createTestProjection()]);
    await writer.start();
    const otherDb = openDurableDatabase(file, prepareReadModelSchema);
    try {
      const standby = new Projector(otherDb, store, [createTestProjection()], { standbyPollMs: 20 });
      running.push(standby);
      await standby.start();
      expect(standby.status).toBe('standby');
      expect(standby.health(40).detail).toMatch(
        /^read models are written by a server \(pid \d+ on .+, since .+, last heartbeat \d+\.\d s ago\)$/,
      );
      expect(await standby.waitForPosition(40, 5000)).toBe(true);

      await writer.stop();
      await appendWorkload(store, 10, { seed: 2 });
      await until(() => standby.status === 'running');
      expect(await standby.waitForPosition(50, 5000)).toBe(true);
      expect(dumpTestProjection(db)).toEqual(await rebuiltReference());
      await standby.stop();
    } finally {
      otherDb.close();
    }
  });

  it('stops cleanly: releases the lock, answers waiters, and a stopped projector reports so', async () => {
    const p = projector([createTestProjection()]);
    await p.start();
    expect(ProjectorLock.holder(db)).toMatchObject({ purpose: 'server', pid: process.pid });
    const waiting = p.waitForPosition(1000, 10_000);
    await p.stop();
    expect(await waiting).toBe(false);
    expect(ProjectorLock.holder(db)).toBeUndefined();
    expect(p.status).toBe('stopped');
  });

  it('resubscribes after the store fails, from its checkpoint', async () => {
    await appendWorkload(store, 10);
    const failingOnce = Object.create(store) as SqliteEventStore;
    let calls = 0;
    failingOnce.subscribeToAll = (from?: number) => {
      calls++;
      if (calls === 1) {
        // Delivers the first five events, then fails.
        return new Observable<RecordedEvent>((s) => {
          void store.readAll({ fromPosition: from, maxCount: 5 }).then((events) => {
            events.forEach((e) => s.next(e));
            s.error(new Error('connection reset'));
          });
        });
      }
      return store.subscribeToAll(from);
    };
    const logger = new MemoryLogger();
    const p = new Projector(db, failingOnce, [createTestProjection()], { logger, retryDelayMs: { initial: 10, max: 100 } });
    running.push(p);
    await p.start();
    expect(await p.waitForPosition(10, 5000)).toBe(true);
    expect(calls).toBe(2);
    expect(logger.lines).toContain('warn event store subscription failed: connection reset; resubscribing in 10 ms');
    expect(dumpTestProjection(db)).toEqual(await rebuiltReference());
  });

  it('waits out another process holding the read-model database, instead of failing', async () => {
    // A read-model file of its own (as with EventStoreDB), so the lock held below blocks no append.
    const readModels = openDurableDatabase(join(dir, 'read-models.sqlite'), prepareReadModelSchema);
    const other = openDurableDatabase(join(dir, 'read-models.sqlite'), prepareReadModelSchema);
    readModels.pragma('busy_timeout = 20');
    const logger = new MemoryLogger();
    const p = new Projector(readModels, store, [createTestProjection()], { logger });
    try {
      await p.start();
      other.exec('BEGIN IMMEDIATE');
      await appendWorkload(store, 20);
      await until(() => logger.lines.some((l) => l.startsWith('warn read-model database busy')));
      expect(p.status).toBe('running');
      expect(p.position).toBe(0);
      other.exec('COMMIT');
      expect(await p.waitForPosition(20, 5000)).toBe(true);
      expect(dumpTestProjection(readModels)).toEqual(await rebuiltReference());
    } finally {
      await p.stop();
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      readModels.close();
    }
  });

  it('never applies an event twice or skips one when its process is killed with SIGKILL mid-stream', async () => {
    await appendWorkload(store, 300, { seed: 21, seizures: 12 });
    const child = spawn(process.execPath, [...FROM_SOURCES, 'test/support/projector-process.ts', 'live', file, '7'], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const writing = appendWorkload(store, 300, { seed: 22, seizures: 12 });
    const checkpoints = new Checkpoints(db);
    await until(() => (checkpoints.get('test-projection')?.position ?? 0) > 150 || child.exitCode !== null, 20_000);
    expect(stderr).toBe('');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await writing;
    const killedAt = checkpoints.get('test-projection')?.position ?? 0;
    expect(killedAt).toBeGreaterThan(150);
    expect(killedAt).toBeLessThan(600);

    // The killed server's lock names a dead pid: the next one takes over at once.
    const restarted = projector([createTestProjection()]);
    await restarted.start();
    expect(restarted.status).not.toBe('standby');
    expect(await restarted.waitForPosition(600, 10_000)).toBe(true);
    expect(dumpTestProjection(db)).toEqual(await rebuiltReference());
  });
});
