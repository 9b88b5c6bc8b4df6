import { createHash } from 'node:crypto';
import { EventTooLargeError, InvalidEventError } from './errors';
import { MAX_EVENT_BYTES } from './event-store';
import {
  ChainVerifier,
  GENESIS_HASH,
  canonicalEventEncoding,
  canonicalJson,
  chainEvents,
  computeEventHash,
  encodeNewEvents,
  type StoredEventRecord,
} from './hash-chain';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('canonical encoding (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and writes numbers in ECMAScript form', () => {
    expect(canonicalJson({ b: 1, a: [1e21, 0.1, -0, 1.5e-7], é: 'x', A: true, '\u20ac': null })).toBe(
      '{"A":true,"a":[1e+21,0.1,0,1.5e-7],"b":1,"é":"x","€":null}',
    );
  });

  it('matches the RFC 8785 §3.2.2 sample', () => {
    const input = {
      // eslint-disable-next-line no-loss-of-precision -- RFC 8785's example of a number that rounds
      numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('builds the event encoding without re-encoding data, equal to canonicalising the whole object', () => {
    const fields = {
      streamName: 'seizure-जब्ती-1',
      revision: 7,
      eventId: ID,
      type: 'CustodyTransferAccepted',
      dataText: canonicalJson({ sealsIntact: true, counted: [{ itemId: 'i-1', quantity: 4800000 }] }),
      metadataText: canonicalJson({ actor: { sub: 'treasury-7', name: 'कोषागार अधिकारी' } }),
      prevHash: 'ab'.repeat(32),
    };
    const whole = canonicalJson({
      streamName: fields.streamName,
      revision: fields.revision,
      eventId: fields.eventId,
      type: fields.type,
      data: JSON.parse(fields.dataText),
      metadata: JSON.parse(fields.metadataText),
      prevHash: fields.prevHash,
    });
    expect(canonicalEventEncoding(fields)).toBe(whole);
  });

  it('hashes a known event to a known value (the bytes both adapters must produce)', () => {
    const fields = {
      streamName: 'seizure-1',
      revision: 0,
      eventId: ID,
      type: 'SeizureRecorded',
      dataText: '{"amountPaise":125000000,"place":"वाराणसी"}',
      metadataText: '{}',
      prevHash: GENESIS_HASH,
    };
    const expectedBytes =
      '{"data":{"amountPaise":125000000,"place":"वाराणसी"},"eventId":"0f8fad5b-d9cb-469f-a165-70867728950e","metadata":{},' +
      `"prevHash":"${GENESIS_HASH}","revision":0,"streamName":"seizure-1","type":"SeizureRecorded"}`;
    expect(canonicalEventEncoding(fields)).toBe(expectedBytes);
    expect(computeEventHash(fields)).toBe(createHash('sha256').update(Buffer.from(expectedBytes, 'utf8')).digest('hex'));
    // Pinned: if this changes, every stored chain in every deployment stops verifying.
    expect(computeEventHash(fields)).toBe('e8d84784cd15853737658ee7987b9cbaa70a8ea590bcebf92fbac5a608b957d9');
  });
});

describe('encodeNewEvents', () => {
  const ok = { id: ID, type: 'SeizureRecorded', data: { a: 1 } };

  it('lower-cases ids and encodes data and metadata canonically', () => {
    const [e] = encodeNewEvents([{ ...ok, id: ID.toUpperCase(), data: { b: 2, a: 1 }, metadata: { z: 1, y: 'य' } }]);
    expect(e).toEqual({ id: ID, type: 'SeizureRecorded', dataText: '{"a":1,"b":2}', metadataText: '{"y":"य","z":1}' });
  });

  it.each([
    ['an empty batch', [], /at least one event/],
    ['an id that is not a UUID', [{ ...ok, id: 'abc' }], /UUID/],
    ['the same id twice', [ok, ok], /twice/],
    ['an empty type', [{ ...ok, type: '' }], /type/],
    ['a system type', [{ ...ok, type: '$metadata' }], /type/],
    ['missing data', [{ id: ID, type: 'X' }], /data is missing/],
    ['NaN', [{ ...ok, data: { v: Number.NaN } }], /data\.v is not a finite number/],
    ['Infinity deep inside', [{ ...ok, data: { items: [{ q: Infinity }] } }], /data\.items\[0\]\.q/],
    ['undefined', [{ ...ok, data: { v: undefined } }], /data\.v is not JSON/],
    ['a Date object', [{ ...ok, data: { at: new Date(0) } }], /data\.at is not JSON/],
    ['a lone surrogate', [{ ...ok, data: { s: 'a\uD800b' } }], /unpaired surrogate/],
    ['array metadata', [{ ...ok, metadata: [] }], /metadata must be a JSON object/],
    ['deep nesting', [{ ...ok, data: JSON.parse('['.repeat(70) + ']'.repeat(70)) }], /deeper than 64/],
  ])('refuses %s', (_name, batch, message) => {
    expect(() => encodeNewEvents(batch as never)).toThrow(InvalidEventError);
    expect(() => encodeNewEvents(batch as never)).toThrow(message);
  });

  it('refuses an event over 1 MiB of data and metadata, counting UTF-8 bytes', () => {
    const threeByteChars = 'क'.repeat(Math.ceil(MAX_EVENT_BYTES / 3));
    expect(() => encodeNewEvents([{ ...ok, data: threeByteChars }])).toThrow(EventTooLargeError);
    expect(() => encodeNewEvents([{ ...ok, data: 'a'.repeat(MAX_EVENT_BYTES - 4) }])).not.toThrow();
  });
});

describe('ChainVerifier', () => {
  function chain(stream: string, count: number, firstPosition: number, step = 1): StoredEventRecord[] {
    const encoded = encodeNewEvents(
      Array.from({ length: count }, (_, i) => ({
        id: `00000000-0000-4000-8000-${String(firstPosition + i).padStart(12, '0')}`,
        type: 'T',
        data: { i },
      })),
    );
    return chainEvents(stream, 0, GENESIS_HASH, encoded).map((e, i) => ({
      streamName: stream,
      revision: e.revision,
      eventId: e.id,
      type: e.type,
      dataText: e.dataText,
      metadataText: e.metadataText,
      prevHash: e.prevHash,
      hash: e.hash,
      globalPosition: firstPosition + i * step,
    }));
  }

  const verify = (records: StoredEventRecord[], dense = true) => {
    const v = new ChainVerifier({ densePositions: dense });
    records.forEach((r) => v.checkChain(r));
    [...records].sort((a, b) => a.globalPosition - b.globalPosition).forEach((r) => v.checkCommitOrder(r));
    return v.result();
  };

  it('accepts intact interleaved chains', () => {
    const a = chain('a', 3, 1, 2);
    const b = chain('b', 3, 2, 2);
    expect(verify([...a, ...b])).toEqual({ ok: true, eventsChecked: 6, streamsChecked: 2, problems: [], problemCount: 0 });
  });

  it('names an altered event once, not also the link after it', () => {
    const a = chain('a', 4, 1);
    a[1] = { ...a[1], dataText: '{"i":9}' };
    const result = verify(a);
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'altered', revision: 1, globalPosition: 2 })]);
  });

  it('names missing revisions and positions', () => {
    const a = chain('a', 5, 1);
    const result = verify([a[0], a[1], a[4]]);
    expect(result.problems.map((p) => [p.kind, p.revision, p.detail])).toEqual([
      ['missing', 4, 'revisions 2 to 3 are missing before this event'],
      ['missing', 4, 'positions 3 to 4 are missing from the global log (after an event of a)'],
    ]);
  });

  it('does not expect dense positions from a store whose positions are sparse', () => {
    expect(verify(chain('a', 3, 100, 37), false).ok).toBe(true);
    expect(verify(chain('a', 3, 100, 37), true).ok).toBe(false);
  });

  it('names a revision committed before an earlier one as reordered', () => {
    const a = chain('a', 3, 1);
    const swapped = [a[0], { ...a[1], globalPosition: 3 }, { ...a[2], globalPosition: 2 }];
    expect(verify(swapped).problems).toEqual([expect.objectContaining({ kind: 'reordered', revision: 1, globalPosition: 3 })]);
  });

  it('names an event that links to another chain, and a repeated revision, as inserted', () => {
    const a = chain('a', 3, 1);
    const foreign = chain('b', 2, 50)[1];
    const transplanted = { ...foreign, streamName: 'a', revision: 3, globalPosition: 4 };
    const recomputed = { ...transplanted, hash: computeEventHash(transplanted) };
    expect(verify([...a, recomputed]).problems).toEqual([expect.objectContaining({ kind: 'inserted', revision: 3 })]);
    expect(verify([...a, { ...a[1], globalPosition: 4 }], false).problems).toEqual([
      expect.objectContaining({ kind: 'inserted', revision: 1, detail: 'revision 1 appears again after revision 2' }),
      expect.objectContaining({ kind: 'reordered', revision: 1, globalPosition: 4 }),
    ]);
  });

  it('lists at most 100 problems but counts them all', () => {
    const a = chain('a', 150, 1).map((r) => ({ ...r, hash: 'f'.repeat(64) }));
    const result = verify(a);
    expect(result.problems).toHaveLength(100);
    expect(result.problemCount).toBe(150);
  });
});
