import { randomUUID } from 'node:crypto';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import type { EventStore, NewEvent, RecordedEvent } from '../../src/ledger/event-store';
import { MAX_EVENT_BYTES } from '../../src/ledger/event-store';
import {
  DuplicateEventIdError,
  EventTooLargeError,
  InvalidEventError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../../src/ledger/errors';
import { GENESIS_HASH, canonicalJson, computeEventHash } from '../../src/ledger/hash-chain';
import { logLeaves } from '../../src/evidence/ledger-audit/log-leaves';

export interface ContractCapabilities {
  /** Global positions are 1, 2, 3, … with no gaps (SQLite); EventStoreDB's are log offsets. */
  densePositions: boolean;
}

export type StoreFactory = () => Promise<{ store: EventStore; cleanup(): Promise<void> }>;

export const event = (type = 'TestEventHappened', data: NewEvent['data'] = { n: 1 }, metadata?: NewEvent['metadata']): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  ...(metadata ? { metadata } : {}),
});

const numbered = (count: number, from = 0): NewEvent[] =>
  Array.from({ length: count }, (_, i) => event('CounterIncremented', { n: from + i }));

/** Each test writes to its own streams, so the suite also runs against a shared server. */
const uniqueStream = (prefix = 'contract'): string => `${prefix}-${randomUUID()}`;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/**
 * The behaviour every EventStore adapter must show. Run by one spec per adapter; a new adapter is
 * done when this suite passes against it.
 */
export function describeEventStoreContract(name: string, makeStore: StoreFactory, capabilities: ContractCapabilities): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const made = await makeStore();
      store = made.store;
      cleanup = () => made.cleanup();
    });
    afterAll(async () => {
      await cleanup?.();
    });

    describe('append and read', () => {
      it('stores a batch in order with revisions from 0 and growing positions', async () => {
        const stream = uniqueStream();
        const batch = numbered(3);
        const result = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        const read = await store.readStream(stream);

        expect(read.map((e) => e.id)).toEqual(batch.map((e) => e.id));
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(read.map((e) => e.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
        expect(read.every((e) => e.streamName === stream && e.type === 'CounterIncremented')).toBe(true);
        expect(read[1].globalPosition).toBeGreaterThan(read[0].globalPosition);
        expect(read[2].globalPosition).toBeGreaterThan(read[1].globalPosition);
        if (capabilities.densePositions) {
          expect(read[2].globalPosition - read[0].globalPosition).toBe(2);
        }
        expect(result).toEqual({ nextExpectedRevision: 2, lastGlobalPosition: read[2].globalPosition, written: true });
        expect(Number.isNaN(Date.parse(read[0].recordedAt))).toBe(false);
      });

      it('keeps metadata, and gives events without metadata an empty object', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [
          event('A', { a: 1 }, { actor: { sub: 'officer-7' }, occurredAt: '2024-04-19T05:30:00.000Z' }),
          event('B'),
        ]);
        const [withMeta, without] = await store.readStream(stream);
        expect(withMeta.metadata).toEqual({ actor: { sub: 'officer-7' }, occurredAt: '2024-04-19T05:30:00.000Z' });
        expect(without.metadata).toEqual({});
      });

      it('reads backwards, from a revision, and at most maxCount events', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, numbered(5));
        const revisions = (events: RecordedEvent[]) => events.map((e) => e.revision);

        expect(revisions(await store.readStream(stream, { direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(revisions(await store.readStream(stream, { fromRevision: 2 }))).toEqual([2, 3, 4]);
        expect(revisions(await store.readStream(stream, { fromRevision: 1, maxCount: 2 }))).toEqual([1, 2]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', fromRevision: 3, maxCount: 2 }))).toEqual([3, 2]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual([4]);
        expect(await store.readStream(stream, { fromRevision: 5 })).toEqual([]);
      });

      it('says a stream that was never written is not found', async () => {
        const stream = uniqueStream();
        const error = await rejection(store.readStream(stream));
        expect(error).toBeInstanceOf(StreamNotFoundError);
        expect((error as StreamNotFoundError).streamName).toBe(stream);
      });

      it('round-trips Devanagari and other non-ASCII text byte for byte', async () => {
        const stream = uniqueStream('जब्ती');
        const text = {
          person: 'श्री रामेश्वर प्रसाद यादव',
          place: 'चेक पोस्ट संख्या ४, ज़िला वाराणसी',
          remarks: 'मुहर सही सलामत — 🔒 ₹12,50,000 नक़द; Ωmega; e\u0301; tab\tnewline\n',
        };
        await store.appendToStream(stream, [event('SeizureRecorded', text, { note: 'पंचनामा' })]);
        const [read] = await store.readStream(stream);
        expect(read.streamName).toBe(stream);
        expect(read.data).toEqual(text);
        expect(Buffer.from(canonicalJson(read.data), 'utf8').equals(Buffer.from(canonicalJson(text), 'utf8'))).toBe(true);
        expect(read.metadata).toEqual({ note: 'पंचनामा' });
      });
    });

    describe('expected revision', () => {
      it("'no_stream' appends to a new stream and refuses an existing one", async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
        const error = await rejection(store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' }));
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamName: stream, expected: 'no_stream', actual: 0 });
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it("'stream_exists' refuses a new stream and appends to an existing one", async () => {
        const stream = uniqueStream();
        const error = await rejection(store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' }));
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);

        await store.appendToStream(stream, [event()]);
        const result = await store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1);
      });

      it('an exact revision must be the last revision of the stream', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, numbered(2));
        const stale = await rejection(store.appendToStream(stream, [event()], { expectedRevision: 0 }));
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale).toMatchObject({ expected: 0, actual: 1 });
        const ahead = await rejection(store.appendToStream(stream, [event()], { expectedRevision: 5 }));
        expect(ahead).toMatchObject({ expected: 5, actual: 1 });
        const onMissing = await rejection(store.appendToStream(uniqueStream(), [event()], { expectedRevision: 0 }));
        expect(onMissing).toMatchObject({ expected: 0, actual: 'no_stream' });

        const ok = await store.appendToStream(stream, [event()], { expectedRevision: 1 });
        expect(ok.nextExpectedRevision).toBe(2);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it("'any' appends whether or not the stream exists", async () => {
        const stream = uniqueStream();
        expect((await store.appendToStream(stream, [event()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(0);
        expect((await store.appendToStream(stream, [event()], { expectedRevision: 'any' })).nextExpectedRevision).toBe(1);
        expect((await store.appendToStream(stream, [event()])).nextExpectedRevision).toBe(2);
      });

      it('of several appenders racing on one stream exactly one wins; the others get the typed conflict', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [event()]);
        const racers = 12;
        const outcomes = await Promise.allSettled(
          Array.from({ length: racers }, (_, i) => store.appendToStream(stream, numbered(2, i * 10), { expectedRevision: 0 })),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(racers - 1);
        for (const l of lost) expect(l.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toHaveLength(3);
        expect((await store.verifyStream(stream)).ok).toBe(true);
      });

      it("racing appenders with 'no_stream' create the stream exactly once", async () => {
        const stream = uniqueStream();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it("racing appenders with 'any' all succeed and keep one unbroken chain", async () => {
        const stream = uniqueStream();
        await Promise.all(Array.from({ length: 10 }, (_, i) => store.appendToStream(stream, numbered(3, i * 3))));
        const read = await store.readStream(stream);
        expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 30 }, (_, i) => i));
        expect((await store.verifyStream(stream)).ok).toBe(true);
      });
    });

    describe('all-or-nothing and limits', () => {
      it('writes none of a batch when one of its events is invalid', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [event()]);
        const bad = [event(), { id: 'not-a-uuid', type: 'X', data: {} }];
        expect(await rejection(store.appendToStream(stream, bad))).toBeInstanceOf(InvalidEventError);
        const notJson = [event(), event('X', { amount: Number.NaN })];
        expect(await rejection(store.appendToStream(stream, notJson))).toBeInstanceOf(InvalidEventError);
        expect(await rejection(store.appendToStream(stream, []))).toBeInstanceOf(InvalidEventError);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('accepts an event of exactly 1 MiB and refuses one byte more, writing nothing', async () => {
        const stream = uniqueStream();
        // data is a JSON string: two quote characters plus the payload; metadata is "{}".
        const payload = (bytes: number) => 'अ'.repeat(Math.floor((bytes - 2 - 2) / 3)) + 'a'.repeat((bytes - 2 - 2) % 3);
        const fits = event('AttachmentAdded', payload(MAX_EVENT_BYTES));
        const tooBig = event('AttachmentAdded', payload(MAX_EVENT_BYTES + 1));
        await store.appendToStream(stream, [fits]);
        const error = await rejection(store.appendToStream(stream, [event(), tooBig]));
        expect(error).toBeInstanceOf(EventTooLargeError);
        expect(error).toMatchObject({ eventId: tooBig.id, bytes: MAX_EVENT_BYTES + 1, limit: MAX_EVENT_BYTES });
        const read = await store.readStream(stream);
        expect(read).toHaveLength(1);
        expect(read[0].data).toBe(fits.data);
      });
    });

    describe('idempotent retries', () => {
      it('the same ids at the same place return the first result and write nothing', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, [event()]);
        const batch = numbered(3);
        const first = await store.appendToStream(stream, batch, { expectedRevision: 0 });
        const again = await store.appendToStream(stream, batch, { expectedRevision: 0 });
        const againAny = await store.appendToStream(stream, batch, { expectedRevision: 'any' });
        expect(again).toEqual({ ...first, written: false });
        expect(againAny).toEqual({ ...first, written: false });
        expect(await store.readStream(stream)).toHaveLength(4);
      });

      it('a retried first append of a stream is recognised too', async () => {
        const stream = uniqueStream();
        const batch = numbered(2);
        const first = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        expect(await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' })).toEqual({ ...first, written: false });
      });

      it('refuses an id reused in another stream, at another place or in another batch', async () => {
        const stream = uniqueStream();
        const batch = numbered(2);
        await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, [event()]);

        const elsewhere = await rejection(store.appendToStream(uniqueStream(), [batch[0]]));
        expect(elsewhere).toBeInstanceOf(DuplicateEventIdError);
        const laterPlace = await rejection(store.appendToStream(stream, batch, { expectedRevision: 2 }));
        expect(laterPlace).toBeInstanceOf(DuplicateEventIdError);
        const otherBatch = await rejection(store.appendToStream(stream, [batch[0], event()], { expectedRevision: 'no_stream' }));
        expect(otherBatch).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(stream)).toHaveLength(3);
      });
    });

    describe('reading all streams', () => {
      it('returns events of every stream in commit order, strictly after a position', async () => {
        const a = uniqueStream('a');
        const b = uniqueStream('b');
        const ours = new Set([a, b]);
        const before = (await store.health()).lastGlobalPosition ?? 0;

        await store.appendToStream(a, [event('A0')]);
        await store.appendToStream(b, [event('B0'), event('B1')]);
        await store.appendToStream(a, [event('A1')]);

        const all = (await store.readAll({ fromPosition: before })).filter((e) => ours.has(e.streamName));
        expect(all.map((e) => e.type)).toEqual(['A0', 'B0', 'B1', 'A1']);
        for (let i = 1; i < all.length; i++) expect(all[i].globalPosition).toBeGreaterThan(all[i - 1].globalPosition);

        const afterFirst = (await store.readAll({ fromPosition: all[0].globalPosition })).filter((e) => ours.has(e.streamName));
        expect(afterFirst.map((e) => e.type)).toEqual(['B0', 'B1', 'A1']);
        const page = await store.readAll({ fromPosition: all[0].globalPosition, maxCount: 2 });
        expect(page).toHaveLength(2);
        expect(page[0].globalPosition).toBeGreaterThan(all[0].globalPosition);
      });
    });

    describe('subscription to all', () => {
      it('catches up, then goes live, with no gap and no duplicate while appends race it', async () => {
        const stream = uniqueStream('sub');
        const start = (await store.health()).lastGlobalPosition ?? 0;
        const stored = 150;
        const live = 150;
        for (let i = 0; i < stored; i += 10) await store.appendToStream(stream, numbered(10, i));

        const received = firstValueFrom(
          store.subscribeToAll(start).pipe(
            filter((e) => e.streamName === stream),
            take(stored + live),
            toArray(),
          ),
        );
        // Appends race the catch-up: some land before it ends, some after.
        for (let i = stored; i < stored + live; i += 5) {
          await store.appendToStream(stream, numbered(5, i));
          if (i % 25 === 0) await new Promise((r) => setImmediate(r));
        }
        const events = await received;
        expect(events.map((e) => (e.data as { n: number }).n)).toEqual(Array.from({ length: stored + live }, (_, i) => i));
        expect(events.map((e) => e.revision)).toEqual(Array.from({ length: stored + live }, (_, i) => i));
        for (let i = 1; i < events.length; i++) expect(events[i].globalPosition).toBeGreaterThan(events[i - 1].globalPosition);
      });

      it('starts strictly after the given position', async () => {
        const stream = uniqueStream('sub');
        await store.appendToStream(stream, numbered(3));
        const [first] = await store.readStream(stream);
        const events = await firstValueFrom(
          store.subscribeToAll(first.globalPosition).pipe(
            filter((e) => e.streamName === stream),
            take(2),
            toArray(),
          ),
        );
        expect(events.map((e) => e.revision)).toEqual([1, 2]);
      });

      it('delivers events appended after subscribing when nothing was stored before', async () => {
        const stream = uniqueStream('sub');
        const start = (await store.health()).lastGlobalPosition ?? 0;
        const received = firstValueFrom(
          store.subscribeToAll(start).pipe(
            filter((e) => e.streamName === stream),
            take(1),
          ),
        );
        await new Promise((r) => setTimeout(r, 20));
        await store.appendToStream(stream, [event('LateArrived')]);
        expect((await received).type).toBe('LateArrived');
      });
    });

    describe('hash chain', () => {
      it('chains each event to the one before, from 64 zeros, with hashes anyone can recompute', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, numbered(2));
        await store.appendToStream(stream, [event('Noted', { text: 'नोट' }, { actor: 'x' })]);
        const read = await store.readStream(stream);

        expect(read[0].prevHash).toBe(GENESIS_HASH);
        expect(read[1].prevHash).toBe(read[0].hash);
        expect(read[2].prevHash).toBe(read[1].hash);
        for (const e of read) {
          expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
          expect(
            computeEventHash({
              streamName: e.streamName,
              revision: e.revision,
              eventId: e.id,
              type: e.type,
              dataText: canonicalJson(e.data),
              metadataText: canonicalJson(e.metadata),
              prevHash: e.prevHash,
            }),
          ).toBe(e.hash);
        }
      });

      it('gives the ledger audit every seizure event, page by page in commit order, with hashes recomputed from its fields', async () => {
        const [a, b] = [uniqueStream('seizure'), uniqueStream('seizure')];
        const other = uniqueStream('other');
        await store.appendToStream(a, [event('SeizureRecorded', { n: 'एक' })]);
        await store.appendToStream(other, [event('Noted')]);
        await store.appendToStream(b, numbered(2));
        await store.appendToStream(a, [event('ItemsValued', { valuePaise: 1250 }, { actor: { sub: 'x' } })]);
        const stored = [...(await store.readStream(a)), ...(await store.readStream(b))];
        const hashOf = new Map(stored.map((e) => [`${e.streamName}#${e.revision}`, e.hash]));

        const seen: Array<{ leafIndex: number; eventHash: string; streamName: string; revision: number }> = [];
        for await (const leaf of logLeaves(store, 2)) seen.push({ leafIndex: leaf.leafIndex, eventHash: leaf.eventHash, ...leaf.event });
        expect(seen.map((l) => l.leafIndex)).toEqual(seen.map((_, i) => i));
        expect(seen.some((l) => l.streamName === other)).toBe(false);
        const ours = seen.filter((l) => l.streamName === a || l.streamName === b);
        expect(ours.map((l) => `${l.streamName === a ? 'a' : 'b'}${l.revision}`)).toEqual(['a0', 'b0', 'b1', 'a1']);
        for (const l of ours) expect(l.eventHash).toBe(hashOf.get(`${l.streamName}#${l.revision}`));
      });

      it('verifies an untouched stream and the whole store', async () => {
        const stream = uniqueStream();
        await store.appendToStream(stream, numbered(4));
        const one = await store.verifyStream(stream);
        expect(one).toMatchObject({ ok: true, eventsChecked: 4, streamsChecked: 1, problems: [], problemCount: 0 });
        const all = await store.verifyAll();
        expect(all.ok).toBe(true);
        expect(all.eventsChecked).toBeGreaterThanOrEqual(4);
      });
    });

    describe('envelopes beside events', () => {
      const envelopesOf = (n: number): string => JSON.stringify([{ v: 1, fieldPath: `/f${n}`, ciphertext: 'सील' + 'x'.repeat(n) }]);

      it('keeps each event its envelopes, returned by read, readAll and subscriptions; events without any have none', async () => {
        const stream = uniqueStream('env');
        const start = (await store.health()).lastGlobalPosition ?? 0;
        const sealed = { ...event('Sealed', { who: { sealed: 'sha256:' + 'a'.repeat(64) } }), envelopes: envelopesOf(1) };
        const plain = event('Plain');
        await store.appendToStream(stream, [sealed, plain]);
        await store.appendToStream(stream, [{ ...event('Sealed'), envelopes: envelopesOf(2) }]);

        const read = await store.readStream(stream);
        expect(read.map((e) => e.envelopes)).toEqual([envelopesOf(1), undefined, envelopesOf(2)]);
        expect('envelopes' in read[1]).toBe(false);
        const backwards = await store.readStream(stream, { direction: 'backwards' });
        expect(backwards.map((e) => e.envelopes)).toEqual([envelopesOf(2), undefined, envelopesOf(1)]);
        const all = (await store.readAll({ fromPosition: start })).filter((e) => e.streamName === stream);
        expect(all.map((e) => e.envelopes)).toEqual([envelopesOf(1), undefined, envelopesOf(2)]);
        const live = await firstValueFrom(
          store.subscribeToAll(start).pipe(
            filter((e) => e.streamName === stream),
            take(3),
            toArray(),
          ),
        );
        expect(live.map((e) => e.envelopes)).toEqual([envelopesOf(1), undefined, envelopesOf(2)]);
      });

      it('leaves the hash untouched: the same event with or without envelopes hashes alike, and verifies', async () => {
        const [withEnvelopes, without] = [uniqueStream('env'), uniqueStream('env')];
        const id = randomUUID();
        const base = event('Sealed', { n: 1 }, { occurredAt: '2024-04-19T05:30:00.000Z' });
        await store.appendToStream(withEnvelopes, [{ ...base, id, envelopes: envelopesOf(3) }]);
        const [sealed] = await store.readStream(withEnvelopes);
        await store.appendToStream(without, [{ ...base, id: randomUUID() }]);
        const [plain] = await store.readStream(without);
        const recompute = (e: RecordedEvent, streamName: string, eventId: string): string =>
          computeEventHash({
            streamName,
            revision: e.revision,
            eventId,
            type: e.type,
            dataText: canonicalJson(e.data),
            metadataText: canonicalJson(e.metadata),
            prevHash: e.prevHash,
          });
        expect(sealed.hash).toBe(recompute(sealed, withEnvelopes, id));
        // The other stream's event, hashed under this stream's name and id, gives the sealed event's hash.
        expect(recompute(plain, withEnvelopes, id)).toBe(sealed.hash);
        expect((await store.verifyStream(withEnvelopes)).ok).toBe(true);
      });

      it('refuses envelopes that are not a non-empty string, writing nothing', async () => {
        const stream = uniqueStream('env');
        for (const envelopes of ['', 42, { a: 1 }]) {
          const bad = { ...event(), envelopes } as unknown as NewEvent;
          expect(await rejection(store.appendToStream(stream, [event(), bad]))).toBeInstanceOf(InvalidEventError);
        }
        expect(await rejection(store.readStream(stream))).toBeInstanceOf(StreamNotFoundError);
      });

      it('recognises a retried append with envelopes as the same append', async () => {
        const stream = uniqueStream('env');
        const batch = [{ ...event('Sealed'), envelopes: envelopesOf(4) }];
        const first = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        expect(again).toEqual({ ...first, written: false });
        expect((await store.readStream(stream)).map((e) => e.envelopes)).toEqual([envelopesOf(4)]);
      });
    });

    describe('health', () => {
      it('reports the store kind and the last global position', async () => {
        const stream = uniqueStream();
        const { lastGlobalPosition } = await store.appendToStream(stream, [event()]);
        const health = await store.health();
        expect(health.kind).toBe(store.kind);
        expect(health.reachable).toBe(true);
        expect(health.lastGlobalPosition).toBeGreaterThanOrEqual(lastGlobalPosition);
      });
    });
  });
}
