import { ThrottlerStorageService } from '@nestjs/throttler';
import fc from 'fast-check';
import { fuzzSettings } from '../../../../test/support/fuzz/fuzz-settings';
import { IDLE_SWEEP_INTERVAL_MS, SlidingLogThrottlerStorage } from './sliding-log-throttler-storage';

const fuzz = fuzzSettings('FUZZ_RUNS', { seed: 20261206, count: 150 });

/** A storage on a clock the test moves. */
function storageAt(startMs = 0): { storage: SlidingLogThrottlerStorage; advance: (ms: number) => void } {
  let now = startMs;
  return { storage: new SlidingLogThrottlerStorage(() => now), advance: (ms) => (now += ms) };
}

/** `count` requests of one caller at the same instant; the answers' isBlocked flags. */
async function burst(storage: SlidingLogThrottlerStorage, count: number, ttl = 60_000, limit = 3, block = 60_000): Promise<boolean[]> {
  const refused: boolean[] = [];
  for (let i = 0; i < count; i++) refused.push((await storage.increment('minute:u-1', ttl, limit, block, 'minute')).isBlocked);
  return refused;
}

describe('SlidingLogThrottlerStorage', () => {
  it('allows the limit, refuses the next request and says how long the block lasts', async () => {
    const { storage } = storageAt();
    expect(await burst(storage, 4)).toEqual([false, false, false, true]);
    const refused = await storage.increment('minute:u-1', 60_000, 3, 60_000, 'minute');
    expect(refused).toEqual({ totalHits: 4, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 60 });
  });

  it('lets hits leave the window one by one: a sliding log, not a fixed window', async () => {
    const { storage, advance } = storageAt();
    await storage.increment('k', 10_000, 2, 10_000, 'minute');
    advance(6_000);
    await storage.increment('k', 10_000, 2, 10_000, 'minute');
    advance(5_000); // the first hit has expired, the second has not
    const third = await storage.increment('k', 10_000, 2, 10_000, 'minute');
    expect(third).toMatchObject({ totalHits: 2, isBlocked: false });
  });

  it('counts afresh once a block is over, starting with the request that finds it over', async () => {
    const { storage, advance } = storageAt();
    expect(await burst(storage, 4, 1_000, 3, 5_000)).toEqual([false, false, false, true]);
    advance(4_999);
    expect((await storage.increment('minute:u-1', 1_000, 3, 5_000, 'minute')).isBlocked).toBe(true);
    advance(1_000);
    expect(await storage.increment('minute:u-1', 1_000, 3, 5_000, 'minute')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts each key apart', async () => {
    const { storage } = storageAt();
    expect(await burst(storage, 4)).toEqual([false, false, false, true]);
    expect((await storage.increment('minute:u-2', 60_000, 3, 60_000, 'minute')).isBlocked).toBe(false);
  });

  it('forgets callers whose window and block are over, and keeps the others', async () => {
    const { storage, advance } = storageAt();
    await storage.increment('burst:idle', 1_000, 10, 1_000, 'burst');
    await storage.increment('minute:busy', 120_000, 10, 120_000, 'minute');
    expect(storage.trackedKeys).toBe(2);
    advance(IDLE_SWEEP_INTERVAL_MS);
    await storage.increment('minute:other', 1_000, 10, 1_000, 'minute');
    expect(storage.trackedKeys).toBe(2); // busy (its hit lives 120 s) and other; idle is gone
  });

  it('keeps the log no longer than twice its live hits, however long a caller keeps sending', async () => {
    const { storage, advance } = storageAt();
    for (let i = 0; i < 5_000; i++) {
      await storage.increment('burst:steady', 1_000, 1_000_000, 1_000, 'burst');
      advance(10); // 100 hits live in any second
    }
    const window = (storage as unknown as { windows: Map<string, { expirations: number[] }> }).windows.get('burst:steady');
    expect(window?.expirations.length).toBeLessThanOrEqual(200);
  });

  describe('answers exactly as the stock in-memory storage of @nestjs/throttler', () => {
    afterEach(() => jest.useRealTimers());

    const request = fc.record({
      key: fc.constantFrom('burst:u-1', 'burst:u-2', 'minute:u-1'),
      // Steps of whole windows and blocks too, so hits expire exactly at a request's instant.
      advanceMs: fc.oneof(
        fc.constant(0),
        fc.constantFrom(500, 1_000, 2_000, 2_500, 3_500),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 5_000 }),
      ),
    });
    const throttler = fc.record({
      ttl: fc.constantFrom(1_000, 2_000, 3_500),
      limit: fc.integer({ min: 1, max: 6 }),
      // 0: the stock guard's other mode, refusing until the oldest hit leaves instead of blocking.
      blockDuration: fc.constantFrom(0, 1_000, 2_500, 4_000),
    });

    it('for any caller, limits, block and timing', async () => {
      await fc.assert(
        fc.asyncProperty(throttler, fc.array(request, { minLength: 1, maxLength: 60 }), async ({ ttl, limit, blockDuration }, requests) => {
          // The stock storage reads Date.now(): fake timers move it with our clock.
          jest.useFakeTimers({ now: 1_000_000 });
          let now = 1_000_000;
          const stock = new ThrottlerStorageService();
          const ours = new SlidingLogThrottlerStorage(() => now);
          try {
            for (const { key, advanceMs } of requests) {
              now += advanceMs;
              jest.setSystemTime(now);
              const expected = await stock.increment(key, ttl, limit, blockDuration, 'minute');
              const actual = await ours.increment(key, ttl, limit, blockDuration, 'minute');
              expect(actual).toEqual(expected);
            }
          } finally {
            stock.onApplicationShutdown();
            jest.useRealTimers();
          }
        }),
        { seed: fuzz.seed, numRuns: fuzz.count, verbose: fuzz.verbose },
      );
    });
  });
});
