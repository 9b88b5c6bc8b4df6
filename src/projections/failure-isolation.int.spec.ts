import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { merkleLogProjection, merkleLogTree } from '../evidence/merkle/merkle-log.projection';
import { LogSigningKey } from '../evidence/tree-heads/signing-key';
import { SqliteTreeHeadStore } from '../evidence/tree-heads/sqlite/sqlite-tree-head-store';
import { TreeHeadLog } from '../evidence/tree-heads/tree-head-log';
import { TreeHeadSigner } from '../evidence/tree-heads/tree-head-signer';
import type { RecordedEvent } from '../ledger/event-store';
import { SqliteEventStore } from '../ledger/sqlite/sqlite-event-store';
import { FixedClock, systemClock } from '../shared/clock';
import { openDurableDatabase } from '../platform/sqlite/durable-database';
import type { Projection } from './projection';
import { REGISTERED_PROJECTIONS } from '../registered-projections';
import { applyBatch, type ProjectionTarget } from './apply-batch';
import { Checkpoints, prepareReadModelSchema } from './checkpoints';
import { Projector, type ProjectorLogger } from './projector';
import { ProjectorLock } from './projector-lock';
import { appendWorkload, createTestProjection, dumpTestProjection } from './projector.test-support';
import { rebuildProjections } from './rebuild';

jest.setTimeout(30_000);

const FAULTY = 'faulty-read-model';

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const quietLogger: ProjectorLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('a read model that throws on an event (real SQLite store)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: Database;
  const running: Projector[] = [];

  const projector = (faulty: Projection, options: { batchSize?: number } = {}) => {
    const p = new Projector(db, store, [...REGISTERED_PROJECTIONS, faulty], { batchSize: options.batchSize ?? 25, logger: quietLogger });
    running.push(p);
    return p;
  };
  const seizureEvents = async () => (await store.readAll()).filter((e) => e.streamName.startsWith('seizure-'));
  /** The poison event: a SeizureRecorded in the middle of the log, as a stored event a read model cannot take. */
  const poisonOf = async (): Promise<RecordedEvent> => (await seizureEvents()).filter((e) => e.type === 'SeizureRecorded')[4];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-isolation-'));
    const file = join(dir, 'ledger.sqlite');
    store = SqliteEventStore.open({ filename: file, clock: systemClock, pollIntervalMs: 20 });
    db = openDurableDatabase(file, prepareReadModelSchema);
  });

  afterEach(async () => {
    for (const p of running.splice(0)) await p.stop();
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('marks only that read model failed, naming the event; the others, the Merkle log and signed heads reach the head; fixed code resumes it', async () => {
    await appendWorkload(store, 150, { seed: 11, seizures: 12 });
    const poison = await poisonOf();
    const faulty = createTestProjection({ name: FAULTY, failOn: (e) => e.globalPosition === poison.globalPosition });
    const p = projector(faulty);
    await p.start();

    // Waits without naming read models are for the healthy ones: the failed one does not hold them up.
    expect(await p.waitForPosition(150, 10_000)).toBe(true);
    await until(() => p.failures().length > 0);
    const checkpoints = new Checkpoints(db);
    for (const registered of REGISTERED_PROJECTIONS)
      expect(checkpoints.get(registered.name)).toMatchObject({ position: 150, status: 'live' });
    expect(checkpoints.get(FAULTY)).toMatchObject({
      position: poison.globalPosition - 1,
      failure: {
        position: poison.globalPosition,
        eventId: poison.id,
        eventType: 'SeizureRecorded',
        streamName: poison.streamName,
        error: `test projection refuses event #${poison.globalPosition}`,
      },
    });
    expect(p.failures().map((f) => f.name)).toEqual([FAULTY]);
    expect(p.position).toBe(150);
    expect(p.health(150)).toMatchObject({
      position: 150,
      lag: 0,
      status: 'running',
      failedReadModels: [{ name: FAULTY, position: poison.globalPosition - 1 }],
    });
    // A wait that needs the failed read model answers at once, and one that needs only others does not care.
    expect(await p.waitForPosition(150, 5000, [FAULTY])).toBe(false);
    expect(await p.waitForPosition(150, 10, [merkleLogProjection.name])).toBe(true);
    expect(p.failedAmong([FAULTY, merkleLogProjection.name]).map((f) => f.name)).toEqual([FAULTY]);
    expect(p.failedAmong([merkleLogProjection.name])).toEqual([]);

    // The Merkle log holds every seizure event, and a signed head covers them all.
    const events = await seizureEvents();
    expect(merkleLogTree(db).size()).toBe(events.length);
    const heads = new SqliteTreeHeadStore(db);
    heads.setup();
    const key = LogSigningKey.generate();
    const signed = new TreeHeadSigner(merkleLogTree(db), heads, key, new FixedClock('2024-04-20T06:00:00.000Z'), {
      intervalMs: 1000,
    }).tick();
    expect(signed?.treeSize).toBe(events.length);
    const log = new TreeHeadLog(merkleLogTree(db), heads, key);
    expect(log.inclusionProof({ eventHash: events[events.length - 1].hash }).leafIndex).toBe(events.length - 1);
    expect(log.inclusionProof({ eventHash: poison.hash }).leafIndex).toBe(
      events.indexOf(events.find((e) => e.id === poison.id) as RecordedEvent),
    );

    // Events keep coming: the others follow, the failed one stays where it was.
    await appendWorkload(store, 30, { seed: 12 });
    expect(await p.waitForPosition(180, 10_000)).toBe(true);
    expect(checkpoints.get(FAULTY)?.position).toBe(poison.globalPosition - 1);

    // "Deploying fixed code": a new projector, same database, the read model no longer throws.
    await p.stop();
    const seen: number[] = [];
    const fixed = projector(createTestProjection({ name: FAULTY, onApply: (_db, e) => void seen.push(e.globalPosition) }));
    await fixed.start();
    expect(await fixed.waitForPosition(180, 10_000, [FAULTY])).toBe(true);
    // It resumed from its own checkpoint: the poison event first, nothing before it again.
    expect(seen[0]).toBe(poison.globalPosition);
    expect(fixed.failures()).toEqual([]);
    expect(checkpoints.get(FAULTY)).toEqual({ name: FAULTY, version: 1, position: 180, status: 'live' });
    expect(dumpTestProjection(db, FAULTY)).toEqual(await rebuiltReference(FAULTY));
  });

  it('still enters an event this release cannot read in the Merkle log, while the read models that need it fail on it', async () => {
    await appendWorkload(store, 20, { seed: 13, seizures: 3 });
    // As a newer release might write it: a type and a schema version this one does not know.
    const future = await store.appendToStream(`seizure-${randomUUID()}`, [
      {
        id: randomUUID(),
        type: 'SeizureTeleported',
        data: { to: 'elsewhere' },
        metadata: {
          actor: { sub: 'u-1', name: 'A', unit: 'FS', agency: 'police', roles: ['officer'] },
          occurredAt: '2024-04-20T06:00:00.000Z',
          schemaVersion: 9,
        },
      },
    ]);
    await appendWorkload(store, 10, { seed: 14, seizures: 2 });
    const p = projector(createTestProjection({ name: FAULTY }));
    await p.start();
    const events = await seizureEvents();
    await until(() => merkleLogTree(db).size() === events.length);
    expect(merkleLogTree(db).leafIndexAtPosition(future.lastGlobalPosition)).toBe(
      events.findIndex((e) => e.globalPosition === future.lastGlobalPosition),
    );
    expect(p.failedAmong([merkleLogProjection.name])).toEqual([]);
    expect(p.failures().map((f) => f.failure.eventType)).toEqual(expect.arrayContaining(['SeizureTeleported']));
  });

  it('marks it failed again on the same event when the new code still throws, without stopping the others', async () => {
    await appendWorkload(store, 80, { seed: 21 });
    const poison = await poisonOf();
    const stillFaulty = () => createTestProjection({ name: FAULTY, failOn: (e) => e.globalPosition === poison.globalPosition });
    const first = projector(stillFaulty());
    await first.start();
    await until(() => first.failures().length > 0);
    await first.stop();

    await appendWorkload(store, 20, { seed: 22 });
    const again = projector(stillFaulty());
    await again.start();
    expect(await again.waitForPosition(100, 10_000)).toBe(true);
    await until(() => again.failures().length > 0);
    expect(again.status).toBe('running');
    expect(again.failures()).toEqual([
      expect.objectContaining({
        name: FAULTY,
        position: poison.globalPosition - 1,
        failure: expect.objectContaining({ position: poison.globalPosition, eventId: poison.id }),
      }),
    ]);
    expect(new Checkpoints(db).get(merkleLogProjection.name)?.position).toBe(100);
  });

  it('rolls back only the failing read model: its writes of the failing event are undone, the others commit the whole batch', async () => {
    await appendWorkload(store, 60, { seed: 31 });
    const poison = await poisonOf();
    // Writes its row for the poison event, then throws: the row must not survive.
    const halfway = createTestProjection({
      name: FAULTY,
      onApply: (d, e) => {
        if (e.globalPosition !== poison.globalPosition) return;
        d.prepare(`INSERT INTO test_${FAULTY.replace(/-/g, '_')}_totals VALUES ('half-written', 1, 0, 'x', 'y')`).run();
        throw new Error('thrown after a write');
      },
    });
    const p = projector(halfway, { batchSize: 500 });
    await p.start();
    expect(await p.waitForPosition(60, 10_000)).toBe(true);
    await until(() => p.failures().length > 0);
    const rows = dumpTestProjection(db, FAULTY);
    expect(rows.totals).not.toContainEqual(expect.objectContaining({ seizure_id: 'half-written' }));
    expect(
      rows.events.map((r) => (r as { global_position: number }).global_position).every((position) => position < poison.globalPosition),
    ).toBe(true);
    expect(rows.events.length).toBe((await seizureEvents()).filter((e) => e.globalPosition < poison.globalPosition).length);
    expect(merkleLogTree(db).size()).toBe((await seizureEvents()).length);
  });

  /** The read model rebuilt from scratch in a database of its own: what the resumed copy must equal. */
  async function rebuiltReference(name: string) {
    const reference = openDurableDatabase(join(dir, `reference-${randomUUID()}.sqlite`), prepareReadModelSchema);
    try {
      const lock = new ProjectorLock(reference, 'rebuild');
      lock.tryAcquire();
      await rebuildProjections(reference, store, [createTestProjection({ name })], { lock, batchSize: 97 });
      return dumpTestProjection(reference, name);
    } finally {
      reference.close();
    }
  }
});

describe('applyBatch transactions (real SQLite file)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-apply-batch-'));
    const file = join(dir, 'ledger.sqlite');
    store = SqliteEventStore.open({ filename: file, clock: systemClock, pollIntervalMs: 20 });
    db = openDurableDatabase(file, prepareReadModelSchema);
    await appendWorkload(store, 100, { seed: 41 });
  });

  afterEach(async () => {
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const targetsOf = (projections: Projection[]): ProjectionTarget[] => {
    const checkpoints = new Checkpoints(db);
    return db.transaction(() => projections.map((projection) => ({ projection, ...checkpoints.prepare(projection) })))();
  };

  it('commits a batch in one transaction with no savepoint when nothing throws', async () => {
    const targets = targetsOf([...REGISTERED_PROJECTIONS, createTestProjection()]);
    const events = await store.readAll();
    // Every savepoint better-sqlite3 takes is a nested transaction function: counting them counts both.
    const transactions = jest.spyOn(db, 'transaction');
    expect(applyBatch(db, new Checkpoints(db), targets, events.slice(0, 50))).toEqual([]);
    expect(applyBatch(db, new Checkpoints(db), targets, events.slice(50))).toEqual([]);
    expect(transactions).toHaveBeenCalledTimes(2);
    transactions.mockRestore();
    expect(targets.every((t) => t.position === 100 && t.failure === undefined)).toBe(true);
  });

  it('isolates each projection in its own savepoint only after one threw, then applies the failing one event by event', async () => {
    const events = await store.readAll();
    const poison = events.filter((e) => e.streamName.startsWith('seizure-'))[10];
    const targets = targetsOf([
      createTestProjection({ name: 'other' }),
      createTestProjection({ name: FAULTY, failOn: (e) => e.globalPosition === poison.globalPosition }),
    ]);
    const failed = applyBatch(db, new Checkpoints(db), targets, events);
    expect(failed.map((f) => f.target.projection.name)).toEqual([FAULTY]);
    expect(targets.map((t) => [t.projection.name, t.position, t.failure?.position])).toEqual([
      ['other', 100, undefined],
      [FAULTY, poison.globalPosition - 1, poison.globalPosition],
    ]);
    // A failed target gets nothing more until it is retried.
    const transactions = jest.spyOn(db, 'transaction');
    expect(applyBatch(db, new Checkpoints(db), targets, events.slice(-1))).toEqual([]);
    expect(transactions).toHaveBeenCalledTimes(1);
    transactions.mockRestore();
  });
});

describe('the checkpoint table of an older data dir', () => {
  it('gains the failure columns on open, keeps its rows, and can be opened again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-checkpoints-'));
    const file = join(dir, 'ledger.sqlite');
    try {
      const old = new BetterSqlite3(file);
      old.exec(`CREATE TABLE projection_checkpoints (
        name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL CHECK (position >= 0),
        status TEXT NOT NULL CHECK (status IN ('live', 'rebuilding')));
        INSERT INTO projection_checkpoints VALUES ('custody-history', 3, 42, 'live');`);
      old.close();
      for (let i = 0; i < 2; i++) {
        const db = openDurableDatabase(file, prepareReadModelSchema);
        expect(new Checkpoints(db).get('custody-history')).toEqual({ name: 'custody-history', version: 3, position: 42, status: 'live' });
        new Checkpoints(db).markFailed('custody-history', {
          position: 43,
          eventId: 'e-43',
          eventType: 'SeizureRecorded',
          streamName: 'seizure-x',
          error: 'boom',
        });
        expect(new Checkpoints(db).get('custody-history')?.failure).toEqual({
          position: 43,
          eventId: 'e-43',
          eventType: 'SeizureRecorded',
          streamName: 'seizure-x',
          error: 'boom',
        });
        new Checkpoints(db).clearFailure('custody-history');
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
