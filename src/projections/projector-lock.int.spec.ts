import type { Database } from 'better-sqlite3';
import { openDurableDatabase } from '../platform/sqlite/durable-database';
import { prepareReadModelSchema } from './checkpoints';
import { LockLostError, ProjectorLock, describeHolder } from './projector-lock';

describe('ProjectorLock', () => {
  let db: Database;
  let now: number;
  const alive = new Set<number>();
  const lock = (purpose: 'server' | 'rebuild', pid: number, host = 'host-a') =>
    new ProjectorLock(db, purpose, { staleAfterMs: 10_000, now: () => now, pid, host, isProcessAlive: (p) => alive.has(p) });

  beforeEach(() => {
    db = openDurableDatabase(':memory:', prepareReadModelSchema);
    now = Date.parse('2024-04-20T06:00:00.000Z');
    alive.clear();
  });
  afterEach(() => db.close());

  it('is held by one writer at a time and names the holder to the others', () => {
    alive.add(100).add(200);
    const server = lock('server', 100);
    expect(server.tryAcquire()).toEqual({ acquired: true });
    const rebuild = lock('rebuild', 200);
    const refused = rebuild.tryAcquire();
    expect(refused).toMatchObject({ acquired: false, holder: { purpose: 'server', pid: 100, host: 'host-a' } });
    if (refused.acquired) throw new Error('unreachable');
    now += 1500;
    expect(describeHolder(refused.holder, now)).toBe(
      'a server (pid 100 on host-a, since 2024-04-20T06:00:00.000Z, last heartbeat 1.5 s ago)',
    );
    // Acquiring again is harmless for the holder.
    expect(server.tryAcquire()).toEqual({ acquired: true });
  });

  it('is taken over at once from a holder on this host whose process is gone (killed with SIGKILL)', () => {
    alive.add(200);
    expect(lock('server', 100).tryAcquire().acquired).toBe(true);
    expect(lock('rebuild', 200).tryAcquire().acquired).toBe(true);
    expect(ProjectorLock.holder(db)).toMatchObject({ purpose: 'rebuild', pid: 200 });
  });

  it('is taken over from a holder whose heartbeat is stale, even if its pid runs (hung, or the pid reused)', () => {
    alive.add(100).add(200);
    const server = lock('server', 100);
    server.tryAcquire();
    now += 9_000;
    expect(lock('rebuild', 200).tryAcquire().acquired).toBe(false);
    server.heartbeat();
    now += 9_000;
    expect(lock('rebuild', 200).tryAcquire().acquired).toBe(false);
    now += 10_001;
    const rebuild = lock('rebuild', 200);
    expect(rebuild.tryAcquire().acquired).toBe(true);
    // The old holder learns it lost the lock at its next write, which is then rolled back.
    expect(() => db.transaction(() => server.renew())()).toThrow(LockLostError);
    expect(() => server.heartbeat()).toThrow(/taken over by a rebuild \(pid 200/);
  });

  it('trusts only the heartbeat for a holder on another host', () => {
    expect(lock('server', 100, 'host-b').tryAcquire().acquired).toBe(true);
    expect(lock('rebuild', 200, 'host-a').tryAcquire().acquired).toBe(false);
    now += 10_001;
    expect(lock('rebuild', 200, 'host-a').tryAcquire().acquired).toBe(true);
  });

  it('is released only by its holder', () => {
    alive.add(100).add(200);
    const server = lock('server', 100);
    server.tryAcquire();
    lock('rebuild', 200).release();
    expect(ProjectorLock.holder(db)).toMatchObject({ pid: 100 });
    server.release();
    expect(ProjectorLock.holder(db)).toBeUndefined();
    expect(() => server.heartbeat()).toThrow('the read-model lock was released under us');
  });
});
