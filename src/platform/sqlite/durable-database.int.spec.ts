import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDurableDatabase, setPageCache, SMALL_PAGE_CACHE_KIB } from './durable-database';

describe('openDurableDatabase page cache', () => {
  let dir: string;
  const opened: Database[] = [];
  const open = (options?: Parameters<typeof openDurableDatabase>[2]): Database => {
    const db = openDurableDatabase(join(dir, `${opened.length}.sqlite`), () => undefined, options);
    opened.push(db);
    return db;
  };
  const cacheSize = (db: Database): unknown => db.pragma('cache_size', { simple: true });

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'durable-database-'))));
  afterEach(() => {
    opened.splice(0).forEach((db) => db.close());
    rmSync(dir, { recursive: true, force: true });
  });

  it('bounds the page cache of a connection that asks for a small one, in KiB', () => {
    expect(cacheSize(open({ pageCacheKib: SMALL_PAGE_CACHE_KIB }))).toBe(-SMALL_PAGE_CACHE_KIB);
  });

  it("leaves better-sqlite3's larger default to a connection that asks for nothing", () => {
    const db = open();
    expect(-(cacheSize(db) as number)).toBeGreaterThan(SMALL_PAGE_CACHE_KIB);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('sets the cache of an open connection, whole KiB and at least one', () => {
    const db = open();
    setPageCache(db, 4096.7);
    expect(cacheSize(db)).toBe(-4096);
    setPageCache(db, 0);
    expect(cacheSize(db)).toBe(-1);
  });
});
