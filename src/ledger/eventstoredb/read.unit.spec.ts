import { randomUUID } from 'node:crypto';
import { END, START, StreamNotFoundError as EsdbStreamNotFoundError } from '@eventstore/db-client';
import type { AllStreamRecordedEvent, ReadAllOptions, ReadPosition, ReadStreamOptions } from '@eventstore/db-client';
import { StreamNotFoundError } from '../errors';
import { compareLogPositions } from './eventstoredb-mapping';
import { failingRead, foreignEvents, logPosition, storedEvents, streamingRead } from './fake-client.test-support';
import { EventStoreDbReader, type ReadingClient } from './read';

/** $all as the server pages it: a read starts at the record at `fromPosition`, inclusive, and returns at most maxCount. */
function fakeClient(log: readonly AllStreamRecordedEvent[]): { client: ReadingClient; readsOfAll: ReadPosition[] } {
  const readsOfAll: ReadPosition[] = [];
  const client = {
    readAll: (options: ReadAllOptions) => {
      const from = options.fromPosition ?? START;
      readsOfAll.push(from);
      const backwards = options.direction === 'backwards';
      const ordered = backwards ? [...log].reverse() : [...log];
      const started =
        from === START || from === END
          ? ordered
          : ordered.filter((e) => (backwards ? compareLogPositions(e.position, from) <= 0 : compareLogPositions(e.position, from) >= 0));
      return streamingRead(started.slice(0, Number(options.maxCount ?? 1000)).map((event) => ({ event })));
    },
    readStream: (streamName: string, options: ReadStreamOptions) => {
      const events = log.filter((e) => e.streamId === streamName);
      if (events.length === 0) return failingRead(new EsdbStreamNotFoundError(undefined, streamName));
      const from = typeof options.fromRevision === 'bigint' ? Number(options.fromRevision) : 0;
      return streamingRead(
        events
          .filter((e) => Number(e.revision) >= from)
          .slice(0, Number(options.maxCount ?? 1000))
          .map((event) => ({ event })),
      );
    },
  } as unknown as ReadingClient;
  return { client, readsOfAll };
}

const batch = (count: number) => Array.from({ length: count }, (_, n) => ({ id: randomUUID(), type: 'Counted', data: { n } }));

describe('EventStoreDB reads (fake client)', () => {
  it('return the envelopes kept in each event metadata, and none for events without', async () => {
    const [sealed, plain] = storedEvents('e-1', [{ ...batch(1)[0], envelopes: '[1]' }, ...batch(1)], [100, 200]);
    const reader = new EventStoreDbReader(fakeClient([sealed, plain]).client, 10);
    expect((await reader.readStream('e-1')).map((e) => e.envelopes)).toEqual(['[1]', undefined]);
    expect((await reader.readAll()).map((e) => e.envelopes)).toEqual(['[1]', undefined]);
  });

  // Ledger events at 100…500, with an id reservation and a system event between them.
  const a = storedEvents('a-1', batch(3), [100, 200, 400]);
  const b = storedEvents('b-1', batch(2), [300, 500]);
  const log = [a[0], a[1], b[0], ...foreignEvents([310, 320]), a[2], b[1]];

  it('readAll pages through $all in commit order, skipping foreign records and the record each page starts on', async () => {
    const { client, readsOfAll } = fakeClient(log);
    const reader = new EventStoreDbReader(client, 2);
    const all = await reader.readAll();
    expect(all.map((e) => e.globalPosition)).toEqual([100, 200, 300, 400, 500]);
    // Each page after the first starts at the last record seen, of any kind (so it holds one new record here).
    expect(readsOfAll).toEqual([START, ...[200, 300, 310, 320, 400, 500].map(logPosition)]);
  });

  it('readAll is exclusive of fromPosition and stops at maxCount', async () => {
    const reader = new EventStoreDbReader(fakeClient(log).client, 2);
    expect((await reader.readAll({ fromPosition: 200 })).map((e) => e.globalPosition)).toEqual([300, 400, 500]);
    expect((await reader.readAll({ fromPosition: 100, maxCount: 2 })).map((e) => e.globalPosition)).toEqual([200, 300]);
    expect(await reader.readAll({ maxCount: 0 })).toEqual([]);
  });

  it('finds the newest ledger position reading backwards past foreign records, and 0 for an empty log', async () => {
    const signal = new AbortController().signal;
    expect(await new EventStoreDbReader(fakeClient([...log, ...foreignEvents([600, 700])]).client, 2).lastLedgerPosition(signal)).toBe(500);
    expect(await new EventStoreDbReader(fakeClient(foreignEvents([600, 700])).client, 2).lastLedgerPosition(signal)).toBe(0);
  });

  it('readStream says a missing stream, a reservation stream or a system stream is not found', async () => {
    const reader = new EventStoreDbReader(fakeClient(log).client, 2);
    await expect(reader.readStream('missing-1')).rejects.toBeInstanceOf(StreamNotFoundError);
    await expect(reader.readStream(foreignEvents([1, 2])[0].streamId)).rejects.toBeInstanceOf(StreamNotFoundError);
    await expect(reader.readStream('$stats-127.0.0.1:2113')).rejects.toBeInstanceOf(StreamNotFoundError);
    expect((await reader.readStream('a-1', { fromRevision: 1 })).map((e) => e.revision)).toEqual([1, 2]);
  });
});
