import { findKeyProblem, formatJsonPath } from './json-keys';

describe('duplicate and reserved JSON keys', () => {
  it('finds nothing in an ordinary body, whatever its nesting', () => {
    expect(findKeyProblem('{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}')).toBeUndefined();
    expect(findKeyProblem('[1,2,{"x":1}]')).toBeUndefined();
  });

  it('names a duplicate key by its path, top-level, nested and inside arrays', () => {
    expect(findKeyProblem('{"amountPaise":1,"amountPaise":100000}')).toEqual({
      field: 'amountPaise',
      reason: 'amountPaise appears twice in the same object; send each field once',
    });
    expect(findKeyProblem('{"location":{"state":"UP","state":"MH"}}')?.field).toBe('location.state');
    expect(findKeyProblem('{"items":[{"q":1},{"q":1,"q":2}]}')?.field).toBe('items[1].q');
  });

  it('sees a key written with escapes as the key it spells', () => {
    expect(findKeyProblem('{"name":"a","n\\u0061me":"b"}')?.field).toBe('name');
    expect(findKeyProblem('{"__pro\\u0074o__":{}}')?.field).toBe('__proto__');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the reserved key %s at any depth', (key) => {
    expect(findKeyProblem(`{"${key}":{"admin":true}}`)).toEqual({ field: key, reason: `"${key}" is not a field of this request` });
    expect(findKeyProblem(`{"items":[{"${key}":1}]}`)?.field).toBe(`items[0].${key}`);
  });

  it('leaves syntax errors to the JSON parser', () => {
    expect(findKeyProblem('{"a":')).toBeUndefined();
  });

  it('writes paths as validation errors do', () => {
    expect(formatJsonPath(['items', 0, 'sealNumbers', 2])).toBe('items[0].sealNumbers[2]');
    expect(formatJsonPath([])).toBe('');
  });
});

describe('duplicate keys in pathological bodies', () => {
  it('leaves nesting too deep to scan to the depth limit instead of failing', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(findKeyProblem(deep)).toBeUndefined();
  });
});
