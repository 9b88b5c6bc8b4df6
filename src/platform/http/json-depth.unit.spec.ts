import { exceedsJsonDepth, MAX_JSON_DEPTH, rejectDeeplyNestedBodies } from './json-depth';
import { ProblemHttpException } from './problem-details.filter';

/** `depth` arrays, each holding the next: `[[[…]]]`. */
const nestedArrays = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

/** `depth` objects, each holding the next under "a", with a scalar at the bottom. */
function nestedObjects(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('exceedsJsonDepth', () => {
  it.each([null, undefined, 0, 'text', true])('never flags a scalar (%p)', (value) => {
    expect(exceedsJsonDepth(value, 0)).toBe(false);
  });

  it('counts a top-level object or array as level 1', () => {
    expect(exceedsJsonDepth({}, 1)).toBe(false);
    expect(exceedsJsonDepth([], 1)).toBe(false);
    expect(exceedsJsonDepth({}, 0)).toBe(true);
  });

  it('accepts exactly the limit and refuses one level more', () => {
    expect(exceedsJsonDepth(nestedArrays(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nestedArrays(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsJsonDepth(nestedObjects(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nestedObjects(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('finds a deep branch beside shallow ones, in objects and arrays mixed', () => {
    const body = { label: 'bag', items: [{ quantity: 1 }, { nested: [[[[{ x: [1] }]]]] }], other: {} };
    // body, items, items[1], the four arrays of nested, { x }, x: 9 levels.
    expect(exceedsJsonDepth(body, 9)).toBe(false);
    expect(exceedsJsonDepth(body, 8)).toBe(true);
  });

  it('walks 100,000 levels without recursion', () => {
    expect(() => exceedsJsonDepth(nestedArrays(100_000))).not.toThrow();
    expect(exceedsJsonDepth(nestedArrays(100_000))).toBe(true);
  });

  it('treats keys such as __proto__ as ordinary members', () => {
    const body: unknown = JSON.parse('{"__proto__": [[[[]]]]}');
    expect(exceedsJsonDepth(body, 5)).toBe(false);
    expect(exceedsJsonDepth(body, 4)).toBe(true);
  });
});

describe('rejectDeeplyNestedBodies', () => {
  const run = (body: unknown): unknown[] => {
    const calls: unknown[] = [];
    rejectDeeplyNestedBodies(3)({ body }, undefined, (error?: unknown) => calls.push(error));
    return calls;
  };

  it('passes a body within the limit on', () => {
    expect(run({ a: { b: {} } })).toEqual([undefined]);
    expect(run(undefined)).toEqual([undefined]);
  });

  it('answers a deeper body with a 400 too-deeply-nested problem', () => {
    const [error] = run({ a: { b: { c: {} } } });
    expect(error).toBeInstanceOf(ProblemHttpException);
    expect((error as ProblemHttpException).problem).toMatchObject({ status: 400, slug: 'too-deeply-nested' });
  });
});
