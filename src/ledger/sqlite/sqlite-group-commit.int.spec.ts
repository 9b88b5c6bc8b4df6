import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../../shared/clock';
import { DuplicateEventIdError, StreamNotFoundError, WrongExpectedRevisionError } from '../errors';
import type { AppendResult, NewEvent } from '../event-store';
import { SqliteEventStore } from './sqlite-event-store';

const events = (count: number, tag = 'x'): NewEvent[] =>
  Array.from({ length: count }, (_, i) => ({ id: randomUUID(), type: 'SealChecked', data: { tag, i } }));

describe('SQLite event store: group commit', () => {
  let dir: string;
  let filename: string;
  let store: SqliteEventStore;
  const clock = new FixedClock('2024-05-13T04:00:00.000Z');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-group-'));
    filename = join(dir, 'ledger.sqlite');
    store = SqliteEventStore.open({ filename, clock });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts every append before any is settled, so they reach the same commit. */
  function together(...appends: Array<() => Promise<AppendResult>>): Promise<Array<PromiseSettledResult<AppendResult>>> {
    return Promise.allSettled(appends.map((append) => append()));
  }

  it('commits a batch in one transaction in which one append conflicts and its neighbours succeed', async () => {
    await store.appendToStream('seizure-b', events(3));
    const before = store.groupCommitStats();

    const [a, b, c, d] = await together(
      () => store.appendToStream('seizure-a', events(2, 'a'), { expectedRevision: 'no_stream' }),
      () => store.appendToStream('seizure-b', events(2, 'stale'), { expectedRevision: 0 }),
      // Chains after the first append of the same batch, before either is committed.
      () => store.appendToStream('seizure-a', events(1, 'a2'), { expectedRevision: 1 }),
      () => store.appendToStream('seizure-c', events(1, 'c')),
    );

    const after = store.groupCommitStats();
    expect(after.transactions - before.transactions).toBe(1);
    expect(after.appends - before.appends).toBe(4);
    expect(a).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1, written: true } });
    expect(b.status).toBe('rejected');
    expect((b as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((b as PromiseRejectedResult).reason).toMatchObject({ expected: 0, actual: 2 });
    expect(c).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 2, written: true } });
    expect(d).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 0, written: true } });

    // Dense positions in batch order, the conflicting append absent, every chain intact.
    const all = await store.readAll();
    expect(all.map((e) => [e.streamName, e.revision, e.globalPosition])).toEqual([
      ['seizure-b', 0, 1],
      ['seizure-b', 1, 2],
      ['seizure-b', 2, 3],
      ['seizure-a', 0, 4],
      ['seizure-a', 1, 5],
      ['seizure-a', 2, 6],
      ['seizure-c', 0, 7],
    ]);
    expect((await store.readStream('seizure-a'))[2].prevHash).toBe((await store.readStream('seizure-a'))[1].hash);
    expect(await store.verifyAll()).toMatchObject({ ok: true });
  });

  it('undoes every event of an append whose later event reuses a stored id, and only that append', async () => {
    const [stored] = events(1, 'stored');
    await store.appendToStream('seizure-x', [stored]);
    const clashing = [...events(2, 'fresh'), { ...stored, data: { other: true } }];

    const [ok1, refused, ok2] = await together(
      () => store.appendToStream('seizure-y', events(1, 'y')),
      () => store.appendToStream('seizure-z', clashing),
      () => store.appendToStream('seizure-y', events(1, 'y2'), { expectedRevision: 0 }),
    );

    expect(ok1.status).toBe('fulfilled');
    expect(ok2).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    await expect(store.readStream('seizure-z')).rejects.toBeInstanceOf(StreamNotFoundError);
    expect((await store.readAll()).map((e) => e.globalPosition)).toEqual([1, 2, 3]);
  });

  it('answers a retry in the same batch as the append it repeats with the first result', async () => {
    const batch = events(2, 'retried');
    const [first, retry] = await together(
      () => store.appendToStream('seizure-r', batch, { expectedRevision: 'no_stream' }),
      () => store.appendToStream('seizure-r', batch, { expectedRevision: 'no_stream' }),
    );
    expect(first).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1, lastGlobalPosition: 2, written: true } });
    expect(retry).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1, lastGlobalPosition: 2, written: false } });
    expect(await store.readStream('seizure-r')).toHaveLength(2);
  });

  it('64 concurrent appenders share commits and every append lands whole, in its place', async () => {
    const before = store.groupCommitStats();
    await Promise.all(
      Array.from({ length: 64 }, async (_, w) => {
        let expected: number | 'no_stream' = 'no_stream';
        for (let i = 0; i < 5; i++) {
          expected = (await store.appendToStream(`seizure-${w}`, events(1 + (i % 3)), { expectedRevision: expected })).nextExpectedRevision;
        }
      }),
    );
    const after = store.groupCommitStats();
    expect(after.appends - before.appends).toBe(64 * 5);
    expect(after.transactions - before.transactions).toBeLessThanOrEqual(5 * 2); // 64 per commit, not 1
    const verification = await store.verifyAll();
    expect(verification).toMatchObject({ ok: true, streamsChecked: 64, eventsChecked: 64 * (1 + 2 + 3 + 1 + 2) });
  });

  it('never trusts a cached head after another connection appended to the same file', async () => {
    const other = SqliteEventStore.open({ filename, clock });
    try {
      await store.appendToStream('seizure-shared', events(1), { expectedRevision: 'no_stream' });
      await other.appendToStream('seizure-shared', events(1), { expectedRevision: 0 });
      // This store last wrote revision 0; its cache must not make it believe that is still the head.
      await expect(store.appendToStream('seizure-shared', events(1), { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1 });
      await expect(store.appendToStream('seizure-shared', events(1), { expectedRevision: 1 })).resolves.toMatchObject({
        nextExpectedRevision: 2,
      });
      await other.appendToStream('seizure-shared', events(1));
      await store.appendToStream('seizure-shared', events(1));
      expect((await store.readStream('seizure-shared')).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect(await store.verifyStream('seizure-shared')).toMatchObject({ ok: true, problemCount: 0 });
    } finally {
      await other.close();
    }
  });

  it('commits appends still waiting when the store is closed, and refuses appends after', async () => {
    const pending = store.appendToStream('seizure-late', events(2));
    await store.close();
    await expect(pending).resolves.toMatchObject({ written: true, nextExpectedRevision: 1 });
    await expect(store.appendToStream('seizure-late', events(1))).rejects.toThrow(/closed/);
    const reopened = SqliteEventStore.open({ filename, clock });
    expect(await reopened.readStream('seizure-late')).toHaveLength(2);
    await reopened.close();
  });
});
