import { InvalidEventError, WrongExpectedRevisionError } from './errors';
import { actualRevision, allowsAppend, assertAppendAllowed, assertExpectedRevision, expectedFirstRevision } from './expected-revision';

describe('expected revisions', () => {
  it('accepts the three modes and non-negative integers only', () => {
    for (const ok of ['any', 'no_stream', 'stream_exists', 0, 7]) expect(() => assertExpectedRevision(ok)).not.toThrow();
    for (const bad of [-1, 1.5, Number.NaN, '3', null, 'latest']) expect(() => assertExpectedRevision(bad)).toThrow(InvalidEventError);
  });

  it.each([
    ['any', null, true],
    ['any', 3, true],
    ['no_stream', null, true],
    ['no_stream', 0, false],
    ['stream_exists', null, false],
    ['stream_exists', 0, true],
    [2, 2, true],
    [2, 1, false],
    [2, 3, false],
    [0, null, false],
  ] as const)('%s holds for head %s: %s', (expected, head, holds) => {
    expect(allowsAppend(expected, head)).toBe(holds);
  });

  it('name the revision the caller means to write at, where they say', () => {
    expect(expectedFirstRevision('no_stream')).toBe(0);
    expect(expectedFirstRevision(4)).toBe(5);
    expect(expectedFirstRevision('any')).toBeNull();
    expect(expectedFirstRevision('stream_exists')).toBeNull();
  });

  it('refuse an append with the typed conflict naming the stream, the expectation and the actual revision', () => {
    expect(() => assertAppendAllowed('s-1', 'stream_exists', 3)).not.toThrow();
    const refusals: Array<[Parameters<typeof assertAppendAllowed>[1], number | null, number | 'no_stream']> = [
      ['no_stream', 0, 0],
      ['stream_exists', null, 'no_stream'],
      [4, 2, 2],
      [0, null, 'no_stream'],
    ];
    for (const [expected, current, actual] of refusals) {
      let thrown: unknown;
      try {
        assertAppendAllowed('s-1', expected, current);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(WrongExpectedRevisionError);
      expect(thrown).toMatchObject({ streamName: 's-1', expected, actual, code: 'wrong_expected_revision' });
    }
  });

  it("report a stream without events as 'no_stream'", () => {
    expect(actualRevision(null)).toBe('no_stream');
    expect(actualRevision(0)).toBe(0);
    expect(actualRevision(9)).toBe(9);
  });
});
