import { createHash } from 'node:crypto';
import { canonicalJson, MAX_IDEMPOTENCY_KEY_LENGTH, parseIdempotencyKey, requestDigest } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('reports an absent header', () => {
    expect(parseIdempotencyKey(undefined)).toEqual({ kind: 'absent' });
    expect(parseIdempotencyKey([])).toEqual({ kind: 'absent' });
  });

  it.each([
    'a',
    '8e03978e-40d5-43e8-bc93-6894a57f9324',
    'retry #3 of "bag 7" (FS-VNS-03)',
    "~!@#$%^&*()_+{}|:<>?`-=[]\\;',./",
    'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH),
  ])('accepts %p', (key) => {
    expect(parseIdempotencyKey([key])).toEqual({ kind: 'valid', key });
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1)],
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['DEL', 'a\x7fb'],
    ['non-ASCII', 'मुहर-7'],
    ['Latin-1', 'caf\u00e9'],
  ])('refuses a key with %s', (_case, key) => {
    expect(parseIdempotencyKey([key])).toEqual({ kind: 'invalid', reason: expect.stringContaining('printable ASCII') });
  });

  it('refuses a repeated header instead of reading Node\'s joined "a, b" as one key', () => {
    expect(parseIdempotencyKey(['a', 'b'])).toEqual({ kind: 'invalid', reason: 'send exactly one Idempotency-Key header' });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops whitespace', () => {
    const body: unknown = JSON.parse('{ "b": [ {"y": 1, "x": 2} ], "a": { "d": null, "c": true } }');
    expect(canonicalJson(body)).toBe('{"a":{"c":true,"d":null},"b":[{"x":2,"y":1}]}');
  });

  it('writes numbers in ECMAScript form, so equal numbers are equal text', () => {
    expect(canonicalJson(JSON.parse('[1.0, 1e3, 0.000001, 1E-7, -0, 100000000000000000000000]'))).toBe('[1,1000,0.000001,1e-7,0,1e+23]');
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 does', () => {
    expect(canonicalJson({ '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, a: 4, A: 5 })).toBe(
      '{"\\r":2,"A":5,"a":4,"\u20ac":1,"\ud83d\ude00":3}',
    );
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ note: 'line\n"quoted" \\ tab\t' })).toBe('{"note":"line\\n\\"quoted\\" \\\\ tab\\t"}');
  });

  it('keeps empty containers and scalars at the top level', () => {
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson('text')).toBe('"text"');
    expect(canonicalJson(null)).toBe('null');
  });

  it('writes non-finite numbers bare, distinct from null and from any JSON string', () => {
    expect(canonicalJson(JSON.parse('[1e400, -1e400]'))).toBe('[Infinity,-Infinity]');
  });

  it('handles a __proto__ member as data', () => {
    expect(canonicalJson(JSON.parse('{"__proto__": {"admin": true}, "a": 1}'))).toBe('{"__proto__":{"admin":true},"a":1}');
  });

  it('encodes 100,000 nested arrays without recursion', () => {
    const deep: unknown = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(canonicalJson(deep)).toHaveLength(200_000);
  });
});

describe('requestDigest', () => {
  const jsonHeaders = { 'content-type': 'application/json', 'content-length': '35' };
  const base = { method: 'POST', target: '/seizures', body: { amountPaise: 100, category: 'cash' }, headers: jsonHeaders };

  it('is the SHA-256 of method, target and canonical body', () => {
    const expected = createHash('sha256').update('POST /seizures\njson:{"amountPaise":100,"category":"cash"}').digest('hex');
    expect(requestDigest(base)).toBe(expected);
  });

  it('does not depend on key order or formatting', () => {
    const reordered: unknown = JSON.parse('{ "category" : "cash",\n "amountPaise": 100.0 }');
    const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': '45' };
    expect(requestDigest({ ...base, body: reordered, headers })).toBe(requestDigest(base));
  });

  it('changes with the body, the path, the query and the method', () => {
    const fingerprint = requestDigest(base);
    expect(requestDigest({ ...base, body: { amountPaise: 101, category: 'cash' } })).not.toBe(fingerprint);
    expect(requestDigest({ ...base, target: '/seizures/s-1/handover' })).not.toBe(fingerprint);
    expect(requestDigest({ ...base, target: '/seizures?dryRun=true' })).not.toBe(fingerprint);
    expect(requestDigest({ ...base, method: 'PUT' })).not.toBe(fingerprint);
  });

  it('tells an absent body from an empty object and from null', () => {
    const none = requestDigest({ ...base, body: undefined, headers: {} });
    expect(requestDigest({ ...base, body: {} })).not.toBe(none);
    expect(requestDigest({ ...base, body: null })).not.toBe(none);
  });

  it('counts a raw byte body by its own hash', () => {
    const bytes = (text: string) => ({ ...base, body: Buffer.from(text) });
    expect(requestDigest(bytes('%PDF-1.7 a'))).toBe(requestDigest(bytes('%PDF-1.7 a')));
    expect(requestDigest(bytes('%PDF-1.7 a'))).not.toBe(requestDigest(bytes('%PDF-1.7 b')));
  });

  describe('a body streamed to the handler (not parsed here)', () => {
    const upload = (headers: Record<string, string>) => ({ method: 'POST', target: '/seizures/s-1/attachments', body: undefined, headers });
    const photo = { 'content-type': 'image/jpeg', 'content-length': '52000' };

    it('counts by its type, length and Content-Digest', () => {
      const fingerprint = requestDigest(upload(photo));
      expect(requestDigest(upload({ ...photo }))).toBe(fingerprint);
      expect(requestDigest(upload({ ...photo, 'content-type': 'image/png' }))).not.toBe(fingerprint);
      expect(requestDigest(upload({ ...photo, 'content-length': '52001' }))).not.toBe(fingerprint);
      expect(requestDigest(upload({ ...photo, 'content-digest': 'sha-256=:AAAA:' }))).not.toBe(fingerprint);
    });

    it('is told apart from no body at all', () => {
      expect(requestDigest(upload(photo))).not.toBe(requestDigest(upload({ 'content-type': 'image/jpeg' })));
    });
  });
});
