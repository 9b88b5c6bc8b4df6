import { randomUUID } from 'node:crypto';
import { START, UnavailableError } from '@eventstore/db-client';
import { StoreUnavailableError, StreamNotFoundError } from '../errors';
import type { NewEvent } from '../event-store';
import { ChainVerifier, GENESIS_HASH, chainEvents, encodeNewEvents } from '../hash-chain';
import {
  LEDGER_METADATA_FORMAT,
  StoredEventUnreadableError,
  actualRevisionOf,
  compareLogPositions,
  decodeEventData,
  decodeEventMetadata,
  decodeStoredEvent,
  encodeEventData,
  encodeEventMetadata,
  isLedgerEvent,
  isLedgerStreamName,
  ledgerPositionOf,
  pinnedExpectedRevision,
  readPositionAfter,
  reservationStreamFor,
  storedRecordForVerification,
  toClientConnectionString,
  toRecordedEvent,
  translateClientError,
  type ChainMetadata,
  type EsdbEventLike,
} from './eventstoredb-mapping';

const HASH_A = 'a'.repeat(64);
const U64_MAX = 2n ** 64n - 1n;

const chainMetadata = (overrides: Partial<ChainMetadata> = {}): ChainMetadata => ({
  prevHash: GENESIS_HASH,
  hash: HASH_A,
  recordedAt: '2024-04-19T05:30:00.000Z',
  appendId: 'append-1',
  metadataText: '{}',
  ...overrides,
});

/** What the client hands over for an event this store wrote: metadata parsed as JSON, data as raw bytes. */
function asStored(
  streamName: string,
  events: readonly NewEvent[],
  firstPosition = 1000,
  recordedAt = '2024-04-19T05:30:00.000Z',
): EsdbEventLike[] {
  const chained = chainEvents(streamName, 0, GENESIS_HASH, encodeNewEvents(events));
  return chained.map((e, i) => {
    const metadataBytes = encodeEventMetadata({
      prevHash: e.prevHash,
      hash: e.hash,
      recordedAt,
      appendId: 'append-1',
      metadataText: e.metadataText,
      ...(e.envelopesText === undefined ? {} : { envelopesText: e.envelopesText }),
    });
    const position = BigInt(firstPosition + i * 150);
    return {
      streamId: streamName,
      id: e.id,
      revision: BigInt(e.revision),
      type: e.type,
      isJson: false,
      data: encodeEventData(e.dataText),
      metadata: JSON.parse(Buffer.from(metadataBytes).toString('utf8')) as unknown,
      position: { commit: position, prepare: position },
    };
  });
}

const newEvent = (type = 'Noted', data: NewEvent['data'] = { n: 1 }, metadata?: NewEvent['metadata']): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  ...(metadata ? { metadata } : {}),
});

describe('event metadata', () => {
  it('is a plain Uint8Array of this realm, so the client sends it as raw bytes', () => {
    const bytes = encodeEventMetadata(chainMetadata());
    expect(bytes.constructor).toBe(Uint8Array);
  });

  it('has the documented layout', () => {
    const text = Buffer.from(encodeEventMetadata(chainMetadata({ metadataText: '{"actor":"x"}' }))).toString('utf8');
    expect(text).toBe(
      `{"ledgerFormat":1,"prevHash":"${GENESIS_HASH}","hash":"${HASH_A}","recordedAt":"2024-04-19T05:30:00.000Z",` +
        `"appendId":"append-1","metadataText":"{\\"actor\\":\\"x\\"}"}`,
    );
  });

  it('gives the user metadata text back byte for byte after the client has parsed the JSON', () => {
    const metadataText = '{"note":"पंचनामा 🔒 \\u2028 line\\nbreak \\"quoted\\" \\\\ e\u0301","10":1,"2":[]}';
    const bytes = encodeEventMetadata(chainMetadata({ metadataText }));
    const parsedByClient = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
    const decoded = decodeEventMetadata(parsedByClient);
    expect(decoded).toEqual({ ok: true, value: chainMetadata({ metadataText }) });
  });

  it.each([
    ['no metadata', undefined, /no metadata/],
    ['bytes that were not JSON', Uint8Array.from([1, 2, 3]), /not JSON/],
    ['an array', [1, 2], /not a JSON object/],
    ['another writer’s metadata', { $correlationId: 'x' }, /ledgerFormat/],
    ['a malformed hash', { ...chainMetadata({ hash: 'xyz' }), ledgerFormat: LEDGER_METADATA_FORMAT }, /hash is missing or malformed/],
    ['a missing metadataText', { ...chainMetadata(), metadataText: undefined, ledgerFormat: LEDGER_METADATA_FORMAT }, /metadataText/],
    ['envelopes that are not text', { ...chainMetadata(), envelopesText: [1], ledgerFormat: LEDGER_METADATA_FORMAT }, /envelopesText/],
  ])('refuses %s', (_what, raw, reason) => {
    const decoded = decodeEventMetadata(raw);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toMatch(reason);
  });
});

describe('envelopes in the event metadata, beside the chain fields and outside the hash', () => {
  it('are written only when given, and read back byte for byte', () => {
    const envelopesText = '[{"v":1,"fieldPath":"/seizedFrom","ciphertext":"सील"}]';
    const without = Buffer.from(encodeEventMetadata(chainMetadata())).toString('utf8');
    expect(without).not.toContain('envelopesText');
    const parsedByClient = JSON.parse(Buffer.from(encodeEventMetadata(chainMetadata({ envelopesText }))).toString('utf8')) as unknown;
    expect(decodeEventMetadata(parsedByClient)).toEqual({ ok: true, value: chainMetadata({ envelopesText }) });
  });

  it('come back on the RecordedEvent, with the same hash as the event without them', () => {
    const plain = newEvent('Sealed', { who: { sealed: 'sha256:' + 'b'.repeat(64) } });
    const [withEnvelopes] = asStored('seizure-1', [{ ...plain, envelopes: '[1]' }], 5000);
    const [without] = asStored('seizure-1', [plain], 5000);
    const read = toRecordedEvent(decodeStoredEvent(withEnvelopes));
    expect(read.envelopes).toBe('[1]');
    expect(read.hash).toBe(toRecordedEvent(decodeStoredEvent(without)).hash);
    expect('envelopes' in toRecordedEvent(decodeStoredEvent(without))).toBe(false);
    expect(storedRecordForVerification(withEnvelopes).hash).toBe(read.hash);
  });
});

describe('event data', () => {
  it('round-trips the canonical text through its UTF-8 bytes', () => {
    const text = '{"10":"ten","2":"two","text":"जब्ती 🔒"}';
    const bytes = encodeEventData(text);
    expect(bytes.constructor).toBe(Uint8Array);
    expect(Buffer.from(bytes).toString('utf8')).toBe(text);
    expect(decodeEventData(bytes, false)).toEqual({ ok: true, value: text });
  });

  it('refuses JSON events (written by another client) and bytes that are not UTF-8', () => {
    expect(decodeEventData({ a: 1 }, true)).toMatchObject({ ok: false, reason: expect.stringMatching(/JSON event/) });
    expect(decodeEventData(Uint8Array.from([0xff, 0xfe]), false)).toMatchObject({ ok: false, reason: expect.stringMatching(/UTF-8/) });
  });
});

describe('stored events', () => {
  it('decode to RecordedEvents with data, metadata, chain fields and the prepare position', () => {
    const events = [newEvent('SeizureRecorded', { place: 'वाराणसी', '10': 1, '2': 2 }, { actor: { sub: 'officer-7' } }), newEvent()];
    const stored = asStored('seizure-1', events, 5000);
    const [first, second] = stored.map((e) => toRecordedEvent(decodeStoredEvent(e)));

    expect(first).toEqual({
      streamName: 'seizure-1',
      revision: 0,
      globalPosition: 5000,
      id: events[0].id,
      type: 'SeizureRecorded',
      data: events[0].data,
      metadata: { actor: { sub: 'officer-7' } },
      recordedAt: '2024-04-19T05:30:00.000Z',
      prevHash: GENESIS_HASH,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(second).toMatchObject({ revision: 1, globalPosition: 5150, prevHash: first.hash, metadata: {} });
  });

  it('keeps the stored text exactly, for verification against the stored hash', () => {
    const [stored] = asStored('s', [newEvent('X', { b: 1, a: [true, null] }, { z: 'é' })]);
    const decoded = decodeStoredEvent(stored);
    expect(decoded.dataText).toBe('{"a":[true,null],"b":1}');
    expect(decoded.metadataText).toBe('{"z":"é"}');
    expect(decoded.appendId).toBe('append-1');
  });

  it('refuses a foreign JSON event and an event without a usable position, naming stream and revision', () => {
    const [stored] = asStored('s', [newEvent()]);
    const foreign: EsdbEventLike = { ...stored, isJson: true, data: { a: 1 }, metadata: undefined };
    expect(() => decodeStoredEvent(foreign)).toThrow(StoredEventUnreadableError);
    expect(() => decodeStoredEvent(foreign)).toThrow(/event 0 of stream s/);
    // Servers before 22.10 report stream reads at 2^64-1, "no position".
    expect(() => decodeStoredEvent({ ...stored, position: { commit: U64_MAX, prepare: U64_MAX } })).toThrow(/no log position/);
    expect(() => decodeStoredEvent({ ...stored, position: undefined })).toThrow(StoredEventUnreadableError);
  });

  it('are verified as an intact chain, and a damaged or foreign one is reported as altered instead of aborting the walk', () => {
    const stored = asStored('s', [newEvent(), newEvent(), newEvent()]);
    const intact = new ChainVerifier({ densePositions: false });
    stored.forEach((e) => intact.checkChain(storedRecordForVerification(e)));
    expect(intact.result()).toMatchObject({ ok: true, eventsChecked: 3, streamsChecked: 1 });

    const tampered = [...stored];
    tampered[1] = { ...stored[1], data: encodeEventData('{"n":2}') };
    tampered[2] = { ...stored[2], isJson: true, data: { n: 1 }, metadata: undefined };
    const damaged = new ChainVerifier({ densePositions: false });
    tampered.forEach((e) => damaged.checkChain(storedRecordForVerification(e)));
    const result = damaged.result();
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.kind, p.revision])).toEqual([
      ['altered', 1],
      ['altered', 2],
    ]);
  });
});

describe('global positions', () => {
  it('are the prepare position, also when a legacy transaction gives events a later commit position', () => {
    expect(ledgerPositionOf({ commit: 4242n, prepare: 4242n })).toBe(4242);
    expect(ledgerPositionOf({ commit: 9000n, prepare: 4242n })).toBe(4242);
  });

  it('are unknown when missing, zero or beyond exact numbers', () => {
    expect(ledgerPositionOf(undefined)).toBeNull();
    expect(ledgerPositionOf({ commit: 0n, prepare: 0n })).toBeNull();
    expect(ledgerPositionOf({ commit: U64_MAX, prepare: U64_MAX })).toBeNull();
    expect(ledgerPositionOf({ commit: 2n ** 53n, prepare: 2n ** 53n })).toBeNull();
  });

  it('resume from the start for 0 and from the event itself otherwise (callers then drop it)', () => {
    expect(readPositionAfter(0)).toBe(START);
    expect(readPositionAfter(4242)).toEqual({ commit: 4242n, prepare: 4242n });
  });

  it('order as $all does: by commit, then prepare', () => {
    const sorted = [
      { commit: 20n, prepare: 20n },
      { commit: 10n, prepare: 10n },
      { commit: 30n, prepare: 5n },
      { commit: 30n, prepare: 1n },
    ].sort(compareLogPositions);
    expect(sorted).toEqual([
      { commit: 10n, prepare: 10n },
      { commit: 20n, prepare: 20n },
      { commit: 30n, prepare: 1n },
      { commit: 30n, prepare: 5n },
    ]);
    expect(compareLogPositions({ commit: 7n, prepare: 7n }, { commit: 7n, prepare: 7n })).toBe(0);
  });
});

describe('expected revisions', () => {
  it('are pinned to the head actually read, whatever the caller said', () => {
    expect(pinnedExpectedRevision(null)).toBe('no_stream');
    expect(pinnedExpectedRevision(12)).toBe(12n);
  });

  it('report the actual revision of a conflict, with -1 and no_stream meaning no stream', () => {
    expect(actualRevisionOf('no_stream')).toBe('no_stream');
    expect(actualRevisionOf(-1n)).toBe('no_stream');
    expect(actualRevisionOf(5n)).toBe(5);
  });
});

describe('which events are the ledger’s', () => {
  it('leaves out system streams, system event types and id reservations', () => {
    expect(isLedgerEvent('seizure-1', 'SeizureRecorded')).toBe(true);
    expect(isLedgerEvent('$stats-127.0.0.1:2113', 'StatsCollected')).toBe(false);
    expect(isLedgerEvent('seizure-1', '$streamDeleted')).toBe(false);
    expect(isLedgerEvent(reservationStreamFor(randomUUID()), 'LedgerEventIdReserved')).toBe(false);
  });

  it('reserves ids in one stream per id, lower-cased', () => {
    expect(reservationStreamFor('ABCDEF00-0000-4000-8000-000000000000')).toBe('ledger-event-id-abcdef00-0000-4000-8000-000000000000');
    expect(isLedgerStreamName('ledger-event-id-x')).toBe(false);
    expect(isLedgerStreamName('')).toBe(false);
    expect(isLedgerStreamName('custody-7')).toBe(true);
  });
});

describe('client errors', () => {
  it('become StoreUnavailableError with the client error as cause', () => {
    const unavailable = new UnavailableError(undefined, 'connect ECONNREFUSED 127.0.0.1:2113');
    const translated = translateClientError(unavailable, 'reading stream s');
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect(translated.message).toMatch(/reading stream s failed \(UnavailableError: connect ECONNREFUSED/);
    expect((translated as StoreUnavailableError).cause).toBe(unavailable);
    expect(translateClientError(new Error('Failed to discover after 10 attempts.'), 'append')).toBeInstanceOf(StoreUnavailableError);
  });

  it('leave the port’s own errors as they are', () => {
    const notFound = new StreamNotFoundError('s');
    expect(translateClientError(notFound, 'reading')).toBe(notFound);
  });
});

describe('connection strings', () => {
  it('turn the kurrentdb schemes into the esdb ones this client parses, and leave the rest alone', () => {
    expect(toClientConnectionString('kurrentdb://admin:pw@db:2113?tls=true')).toBe('esdb://admin:pw@db:2113?tls=true');
    expect(toClientConnectionString('kurrentdb+discover://cluster.local:2113')).toBe('esdb+discover://cluster.local:2113');
    expect(toClientConnectionString(' esdb://localhost:2113?tls=false ')).toBe('esdb://localhost:2113?tls=false');
    expect(toClientConnectionString('esdb+discover://kurrentdb://x')).toBe('esdb+discover://kurrentdb://x');
  });
});
