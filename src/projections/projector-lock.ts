import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database, Statement } from 'better-sqlite3';

/** Who writes read models: a server's projector or the rebuild command. */
export type LockPurpose = 'server' | 'rebuild';

export interface LockHolder {
  owner: string;
  purpose: LockPurpose;
  pid: number;
  host: string;
  acquiredAt: string;
  /** Milliseconds since the epoch of the holder's last sign of life. */
  heartbeatAt: number;
}

export type AcquireResult = { acquired: true } | { acquired: false; holder: LockHolder };

/** Thrown inside a write transaction whose process no longer holds the lock: the batch is rolled back. */
export class LockLostError extends Error {
  constructor(readonly holder: LockHolder | undefined) {
    super(
      holder
        ? `the read-model lock was taken over by ${describeHolder(holder, holder.heartbeatAt)}`
        : 'the read-model lock was released under us',
    );
    this.name = 'LockLostError';
  }
}

export interface ProjectorLockOptions {
  /** A holder silent for this long is presumed dead or hung and may be replaced. */
  staleAfterMs?: number;
  now?: () => number;
  pid?: number;
  host?: string;
  /** Whether a process of this host is running; injectable for tests. */
  isProcessAlive?: (pid: number) => boolean;
}

export const DEFAULT_LOCK_STALE_AFTER_MS = 15_000;

interface LockRow {
  owner: string;
  purpose: LockPurpose;
  pid: number;
  host: string;
  acquired_at: string;
  heartbeat_at: number;
}

/**
 * One writer of read models at a time, recorded in a row of the read-model database itself, so
 * it works across processes and needs no file beside the database. A holder counts as alive while
 * its heartbeat is fresh and, on the same host, its pid still runs: a server killed with SIGKILL
 * is replaced at once, a hung one after `staleAfterMs`. Every batch renews the lock inside its own
 * transaction (see `renew`), so a writer that was replaced cannot commit anything afterwards.
 */
export class ProjectorLock {
  readonly owner = randomUUID();
  private readonly staleAfterMs: number;
  private readonly now: () => number;
  private readonly pid: number;
  private readonly host: string;
  private readonly isProcessAlive: (pid: number) => boolean;
  private readonly stmt: {
    get: Statement<[], LockRow>;
    put: Statement<[string, string, number, string, string, number]>;
    beat: Statement<[number, string]>;
    release: Statement<[string]>;
  };

  constructor(
    private readonly db: Database,
    readonly purpose: LockPurpose,
    options: ProjectorLockOptions = {},
  ) {
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_LOCK_STALE_AFTER_MS;
    this.now = options.now ?? Date.now;
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
    this.isProcessAlive = options.isProcessAlive ?? processIsAlive;
    this.stmt = {
      get: db.prepare('SELECT owner, purpose, pid, host, acquired_at, heartbeat_at FROM projector_lock WHERE id = 1'),
      put: db.prepare(
        `INSERT OR REPLACE INTO projector_lock (id, owner, purpose, pid, host, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?)`,
      ),
      beat: db.prepare('UPDATE projector_lock SET heartbeat_at = ? WHERE id = 1 AND owner = ?'),
      release: db.prepare('DELETE FROM projector_lock WHERE id = 1 AND owner = ?'),
    };
  }

  /** The current holder, if any (alive or not). */
  static holder(db: Database): LockHolder | undefined {
    const row = db.prepare('SELECT owner, purpose, pid, host, acquired_at, heartbeat_at FROM projector_lock WHERE id = 1').get() as
      LockRow | undefined;
    return row && toHolder(row);
  }

  tryAcquire(): AcquireResult {
    return this.db
      .transaction((): AcquireResult => {
        const row = this.stmt.get.get();
        if (row && row.owner !== this.owner && this.holderIsAlive(row)) return { acquired: false, holder: toHolder(row) };
        const now = this.now();
        this.stmt.put.run(this.owner, this.purpose, this.pid, this.host, new Date(now).toISOString(), now);
        return { acquired: true };
      })
      .immediate();
  }

  /** Refreshes the heartbeat; throws LockLostError when another writer holds the lock now. Call inside a write transaction. */
  renew(): void {
    if (this.stmt.beat.run(this.now(), this.owner).changes === 1) return;
    const row = this.stmt.get.get();
    throw new LockLostError(row && toHolder(row));
  }

  /** A heartbeat in a transaction of its own, for the idle times between batches. */
  heartbeat(): void {
    this.db.transaction(() => this.renew()).immediate();
  }

  release(): void {
    if (!this.db.open) return;
    this.db.transaction(() => this.stmt.release.run(this.owner)).immediate();
  }

  private holderIsAlive(row: LockRow): boolean {
    if (this.now() - row.heartbeat_at > this.staleAfterMs) return false;
    // Another host's pids mean nothing here; there only the heartbeat tells.
    return row.host !== this.host || this.isProcessAlive(row.pid);
  }
}

/** "server pid 4242 on host-a, last heartbeat 1.2 s ago" */
export function describeHolder(holder: LockHolder, now: number = Date.now()): string {
  const ago = Math.max(0, (now - holder.heartbeatAt) / 1000).toFixed(1);
  const what = holder.purpose === 'server' ? 'a server' : 'a rebuild';
  return `${what} (pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt}, last heartbeat ${ago} s ago)`;
}

function toHolder(row: LockRow): LockHolder {
  return {
    owner: row.owner,
    purpose: row.purpose,
    pid: row.pid,
    host: row.host,
    acquiredAt: row.acquired_at,
    heartbeatAt: row.heartbeat_at,
  };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
