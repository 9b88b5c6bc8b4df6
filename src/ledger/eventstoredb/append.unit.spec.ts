import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError } from '@eventstore/db-client';
import type { AppendExpectedRevision, EventData } from '@eventstore/db-client';
import { FixedClock } from '../../shared/clock';
import { InvalidEventError, WrongExpectedRevisionError } from '../errors';
import type { ExpectedRevision, NewEvent } from '../event-store';
import { EventStoreDbAppender } from './append';
import { reservationStreamFor, type DecodedStoredEvent } from './eventstoredb-mapping';
import type { EventStoreDbReader } from './read';

const STREAM = 'seizure-1';
const clock = new FixedClock('2024-04-19T05:30:00.000Z');
const events = (count: number): NewEvent[] => Array.from({ length: count }, (_, n) => ({ id: randomUUID(), type: 'Counted', data: { n } }));

/** A stream whose head stays at `headRevision` (null: no events); the server answers each ledger append with `answer`. */
function fixture(headRevision: number | null, answer: 'accept' | 'conflict-result' | 'conflict-error') {
  const appends: Array<{ stream: string; expected: AppendExpectedRevision; events: EventData[] }> = [];
  let appendId = '';
  const head = (revision: number): DecodedStoredEvent => ({
    streamName: STREAM,
    revision,
    globalPosition: 1000 + revision,
    eventId: randomUUID(),
    type: 'Counted',
    dataText: '{}',
    metadataText: '{}',
    prevHash: '0'.repeat(64),
    hash: 'b'.repeat(64),
    recordedAt: clock.now(),
    appendId: 'earlier',
  });
  const reader = {
    pageSize: 10,
    readHead: () => Promise.resolve(headRevision === null ? null : head(headRevision)),
    readSummaries: () => Promise.resolve([]),
    readRaw: () => Promise.resolve([]),
    readEventAt: (_stream: string, revision: number) => Promise.resolve({ ...head(revision), globalPosition: 2000 + revision, appendId }),
  } as unknown as EventStoreDbReader;
  const client = {
    appendToStream: (stream: string, data: EventData | EventData[], options: { expectedRevision: AppendExpectedRevision }) => {
      const list = Array.isArray(data) ? data : [data];
      appends.push({ stream, expected: options.expectedRevision, events: list });
      if (stream !== STREAM || answer === 'accept') {
        if (stream === STREAM)
          appendId = (JSON.parse(Buffer.from(list[0].metadata as Uint8Array).toString('utf8')) as { appendId: string }).appendId;
        return Promise.resolve({ success: true, nextExpectedRevision: 0n });
      }
      if (answer === 'conflict-result') return Promise.resolve({ success: false, nextExpectedRevision: 7n });
      return Promise.reject(
        new WrongExpectedVersionError(undefined, { streamName: stream, expected: options.expectedRevision, current: 'no_stream' }),
      );
    },
  };
  const appender = new EventStoreDbAppender(client, reader, clock, 3);
  const ledgerAppends = () => appends.filter((a) => a.stream === STREAM);
  return { appender, appends, ledgerAppends };
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

describe('EventStoreDB append (fake client)', () => {
  it.each([
    ['no_stream', 1, 1],
    ['stream_exists', null, 'no_stream'],
    [0, 2, 2],
    [3, null, 'no_stream'],
  ] as Array<[ExpectedRevision, number | null, number | 'no_stream']>)(
    'refuses expectation %s on a stream at %s through the shared rule, writing nothing',
    async (expected, headRevision, actual) => {
      const { appender, appends } = fixture(headRevision, 'accept');
      const error = await refusal(appender.appendToStream(STREAM, events(1), { expectedRevision: expected }));
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamName: STREAM, expected, actual });
      expect(appends).toHaveLength(0);
    },
  );

  it('reserves each id, then appends pinned to the head it read, and reports its own write', async () => {
    const { appender, appends, ledgerAppends } = fixture(4, 'accept');
    const batch = events(2);
    const result = await appender.appendToStream(STREAM, batch, { expectedRevision: 'stream_exists' });
    expect(appends.slice(0, 2).map((a) => [a.stream, a.expected])).toEqual(batch.map((e) => [reservationStreamFor(e.id), 'no_stream']));
    expect(ledgerAppends().map((a) => a.expected)).toEqual([4n]);
    expect(result).toEqual({ nextExpectedRevision: 6, lastGlobalPosition: 2006, written: true });
  });

  it("pins a new stream to 'no_stream'", async () => {
    const { appender, ledgerAppends } = fixture(null, 'accept');
    expect((await appender.appendToStream(STREAM, events(3))).nextExpectedRevision).toBe(2);
    expect(ledgerAppends().map((a) => a.expected)).toEqual(['no_stream']);
  });

  it.each([
    ['a refused result', 'conflict-result', 7],
    ['a WrongExpectedVersionError', 'conflict-error', 'no_stream'],
  ] as const)('maps %s from the server, after every attempt, to the typed conflict with the actual revision', async (_, answer, actual) => {
    const { appender, ledgerAppends } = fixture(5, answer);
    const error = await refusal(appender.appendToStream(STREAM, events(1), { expectedRevision: 'any' }));
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamName: STREAM, expected: 'any', actual });
    expect(ledgerAppends()).toHaveLength(3);
  });

  it('refuses a malformed expectation and a reserved stream name before dialling the server', async () => {
    const { appender, appends } = fixture(null, 'accept');
    const bad = { expectedRevision: -1 as unknown as ExpectedRevision };
    expect(await refusal(appender.appendToStream(STREAM, events(1), bad))).toBeInstanceOf(InvalidEventError);
    expect(await refusal(appender.appendToStream(reservationStreamFor(randomUUID()), events(1)))).toBeInstanceOf(InvalidEventError);
    expect(appends).toHaveLength(0);
  });
});
