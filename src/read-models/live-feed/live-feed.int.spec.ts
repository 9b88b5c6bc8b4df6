import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import type { Actor } from '../../shared/actor';
import { systemClock } from '../../shared/clock';
import { openDurableDatabase } from '../../platform/sqlite/durable-database';
import { prepareReadModelSchema } from '../../projections/checkpoints';
import { seizureRecordedData } from '../../projections/projector.test-support';
import { LiveFeed, TooManyStreamsError, type FeedSink, type LiveFeedOptions } from './live-feed';
import { liveFeedScopeProjection } from './live-feed-scope.projection';

class MemorySink implements FeedSink {
  chunks: string[] = [];
  opened = false;
  ended = false;
  bufferedBytes = 0;
  private listeners: Array<() => void> = [];
  open(): void {
    this.opened = true;
  }
  write(chunk: string): void {
    if (!this.ended) this.chunks.push(chunk);
  }
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.listeners.forEach((l) => l());
  }
  onClose(listener: () => void): void {
    this.listeners.push(listener);
  }
  /** The client goes away. */
  disconnect(): void {
    this.end();
  }
  get ids(): number[] {
    return this.chunks.flatMap((c) => [...c.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])));
  }
  get text(): string {
    return this.chunks.join('');
  }
}

const officer = (districts: string[]): Actor => ({
  sub: `u-${districts.join('-')}`,
  name: 'Officer',
  roles: ['officer'],
  unit: 'FS-1',
  agency: 'flying_squad',
  scope: { national: false, states: [], districts },
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('LiveFeed (real SQLite file)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: Database;
  let feed: LiveFeed;
  const options: LiveFeedOptions = { heartbeatMs: 40, maxStreamsPerUser: 2, maxBufferedBytes: 10_000 };

  const record = async (district: string) => {
    const seizureId = randomUUID();
    const metadata = {
      actor: { sub: 'u-1', name: 'A', unit: 'U', agency: 'police', roles: ['officer'] },
      occurredAt: '2024-04-20T06:00:00.000Z',
      schemaVersion: 1,
    };
    const result = await store.appendToStream(`seizure-${seizureId}`, [
      { id: randomUUID(), type: 'SeizureRecorded', data: seizureRecordedData(seizureId, district), metadata },
    ]);
    return { seizureId, position: result.lastGlobalPosition, metadata };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-feed-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: systemClock, pollIntervalMs: 20 });
    db = openDurableDatabase(join(dir, 'ledger.sqlite'), prepareReadModelSchema);
    feed = new LiveFeed(store, db, options);
  });

  afterEach(async () => {
    feed.closeAll();
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends heartbeats and the retry hint, and cleans up when the client leaves', async () => {
    const sink = new MemorySink();
    feed.open(officer(['UP-VNS']), 0, sink);
    expect(sink.opened).toBe(true);
    expect(sink.chunks[0]).toBe('retry: 3000\n\n');
    await until(() => sink.chunks.filter((c) => c === ': heartbeat\n\n').length >= 2);
    expect(feed.openStreams('u-UP-VNS')).toBe(1);
    sink.disconnect();
    expect(feed.openStreams()).toBe(0);
    const written = sink.chunks.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(sink.chunks).toHaveLength(written);
  });

  it('checks scope for events of seizures recorded before the stream started, from the read model or else the log', async () => {
    const vns = await record('UP-VNS');
    const lko = await record('UP-LKO');
    // Only the second seizure is in the read model: the first is looked up in the log.
    liveFeedScopeProjection.setup(db);
    db.prepare('INSERT INTO live_feed_seizure_places VALUES (?, ?, ?)').run(lko.seizureId, 'UP', 'UP-LKO');
    const later = async (seizureId: string, metadata: typeof vns.metadata) =>
      (
        await store.appendToStream(`seizure-${seizureId}`, [
          {
            id: randomUUID(),
            type: 'FirRegistered',
            data: { firNumber: '1', policeStation: 'P', registeredOn: '2024-04-20', sections: [] },
            metadata,
          },
        ])
      ).lastGlobalPosition;
    const vnsFir = await later(vns.seizureId, vns.metadata);
    const lkoFir = await later(lko.seizureId, lko.metadata);

    const vnsSink = new MemorySink();
    const lkoSink = new MemorySink();
    feed.open(officer(['UP-VNS']), lko.position, vnsSink);
    feed.open(officer(['UP-LKO']), lko.position, lkoSink);
    await until(() => vnsSink.ids.length >= 1 && lkoSink.ids.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(vnsSink.ids).toEqual([vnsFir]);
    expect(lkoSink.ids).toEqual([lkoFir]);
  });

  it('refuses more streams per user than allowed, and frees the slot on disconnect', () => {
    const actor = officer(['UP-VNS']);
    const first = new MemorySink();
    feed.open(actor, 0, first);
    feed.open(actor, 0, new MemorySink());
    expect(() => feed.open(actor, 0, new MemorySink())).toThrow(TooManyStreamsError);
    // Another user is not affected.
    feed.open(officer(['UP-LKO']), 0, new MemorySink());
    first.disconnect();
    expect(() => feed.open(actor, 0, new MemorySink())).not.toThrow();
  });

  it('cuts off a client that does not read, telling it to resume', async () => {
    const sink = new MemorySink();
    sink.bufferedBytes = 20_000;
    await record('UP-VNS');
    feed.open(officer(['UP-VNS']), 0, sink);
    await until(() => sink.ended);
    expect(sink.text).toContain(': the client reads too slowly; reconnect with Last-Event-ID\n\n');
    expect(feed.openStreams()).toBe(0);
  });

  it('ends the stream when the token expires, and every stream on shutdown', async () => {
    const expiring = new MemorySink();
    feed.open(officer(['UP-VNS']), 0, expiring, { endAtMs: Date.now() + 30 });
    const other = new MemorySink();
    feed.open(officer(['UP-LKO']), 0, other);
    await until(() => expiring.ended);
    expect(expiring.text).toContain(': token expired; reconnect with a fresh token and Last-Event-ID\n\n');
    expect(other.ended).toBe(false);
    feed.closeAll();
    expect(other.text).toContain(': the server is shutting down; reconnect with Last-Event-ID\n\n');
    expect(() => feed.assertCanOpen(officer(['UP-LKO']))).toThrow('the server is shutting down');
  });
});
