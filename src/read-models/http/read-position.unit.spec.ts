import { DEFAULT_MAX_WAIT_MS, parseReadPosition } from './read-position';

describe('parseReadPosition', () => {
  it('reads minPosition and a bounded maxWaitMs from the query', () => {
    expect(parseReadPosition(undefined)).toEqual({ minPosition: undefined, maxWaitMs: DEFAULT_MAX_WAIT_MS });
    expect(parseReadPosition({ minPosition: '0' })).toEqual({ minPosition: 0, maxWaitMs: 5000 });
    expect(parseReadPosition({ minPosition: '123', maxWaitMs: '30000', other: 'x' })).toEqual({ minPosition: 123, maxWaitMs: 30_000 });
  });

  it('refuses anything but non-negative integers, and waits beyond 30 s', () => {
    for (const minPosition of ['-1', '1.5', 'x', '1e3', ['1', '2']]) {
      expect(() => parseReadPosition({ minPosition })).toThrow(
        expect.objectContaining({
          problem: expect.objectContaining({ status: 400, errors: [{ field: 'minPosition', reason: expect.any(String) }] }),
        }),
      );
    }
    expect(() => parseReadPosition({ maxWaitMs: '30001' })).toThrow(
      expect.objectContaining({
        problem: expect.objectContaining({ errors: [{ field: 'maxWaitMs', reason: 'maxWaitMs must be an integer from 0 to 30000' }] }),
      }),
    );
  });
});
