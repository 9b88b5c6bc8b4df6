import { searchHighestRate } from '../../bench/measures/rate-search';

/** A server whose p99 stays at 5 ms up to `capacity` requests/s and explodes past it. */
const serverWithCapacity = (capacity: number) => {
  const tried: number[] = [];
  const run = (rate: number) => {
    tried.push(rate);
    return Promise.resolve({ p99Ms: rate <= capacity ? 5 : 5_000, allAnswered: true });
  };
  return { run, tried };
};

describe('search for the highest rate under a p99 bound', () => {
  it('doubles from the first rate until the bound breaks, then bisects to within 10 %', async () => {
    const server = serverWithCapacity(1_000);

    const result = await searchHighestRate({ start: 200, p99BelowMs: 25, run: server.run, maxSteps: 12 });

    expect(server.tried.slice(0, 4)).toEqual([200, 400, 800, 1600]);
    expect(result.highestRate).toBeLessThanOrEqual(1_000);
    expect(result.highestRate).toBeGreaterThan(1_000 / 1.1);
    expect(result.lowestFailingRate).toBeGreaterThan(1_000);
    expect(result.lowestFailingRate! / result.highestRate!).toBeLessThanOrEqual(1.1);
    expect(result.bounded).toBe(false);
    expect(result.steps.map((s) => s.rate)).toEqual(server.tried);
  });

  it('halves from the first rate when even that breaks the bound', async () => {
    const server = serverWithCapacity(70);

    const result = await searchHighestRate({ start: 200, p99BelowMs: 25, run: server.run, maxSteps: 12 });

    expect(server.tried.slice(0, 3)).toEqual([200, 100, 50]);
    expect(result.highestRate).toBeGreaterThan(70 / 1.1);
    expect(result.highestRate).toBeLessThanOrEqual(70);
  });

  it('reuses a run already made at the first rate instead of running it again', async () => {
    const server = serverWithCapacity(1_000);

    const result = await searchHighestRate({
      start: 200,
      p99BelowMs: 25,
      run: server.run,
      maxSteps: 3,
      known: { rate: 200, p99Ms: 4, held: true },
    });

    expect(server.tried).toEqual([400, 800]);
    expect(result.steps.map((s) => s.rate)).toEqual([200, 400, 800]);
    expect(result.highestRate).toBe(800);
    expect(result.lowestFailingRate).toBeNull();
    expect(result.bounded).toBe(true);
  });

  it('stops after maxSteps runs and says the bracket is not closed', async () => {
    const server = serverWithCapacity(1_000);

    const result = await searchHighestRate({ start: 200, p99BelowMs: 25, run: server.run, maxSteps: 5 });

    expect(server.tried).toHaveLength(5);
    expect(result.bounded).toBe(true);
    expect(result.highestRate).toBe(800);
  });

  it('counts a run with failed requests as missing the bound, however low its p99', async () => {
    const run = (rate: number) => Promise.resolve({ p99Ms: 1, allAnswered: rate < 300 });

    const result = await searchHighestRate({ start: 200, p99BelowMs: 25, run, maxSteps: 12 });

    expect(result.steps.find((s) => s.rate === 400)?.held).toBe(false);
    expect(result.highestRate).toBeLessThan(300);
    expect(result.lowestFailingRate).toBeGreaterThanOrEqual(300);
  });

  it('reports no rate when none down to the lowest allowed keeps the bound', async () => {
    const run = () => Promise.resolve({ p99Ms: 100, allAnswered: true });

    const result = await searchHighestRate({ start: 200, p99BelowMs: 25, run, maxSteps: 12, minRate: 20 });

    expect(result.steps.map((s) => s.rate)).toEqual([200, 100, 50, 25]);
    expect(result.highestRate).toBeNull();
    expect(result.bounded).toBe(true);
  });
});
