import { formatDuration, formatProgress } from './rebuild.command';

describe('rebuild progress', () => {
  const progress = { done: 4500, total: 10_000, fromPosition: 0, position: 4500, headPosition: 10_000 };

  it('shows done/total, speed and time left, as a bar on a terminal and a plain line elsewhere', () => {
    expect(formatProgress(progress, 3000, false)).toBe('rebuild: 45.0%, 4,500/10,000 events, 1,500 events/s, ETA 0:04');
    expect(formatProgress(progress, 3000, true)).toBe(
      '[█████████████░░░░░░░░░░░░░░░]  45.0%  4,500/10,000 events  1,500 events/s  ETA 0:04',
    );
  });

  it('estimates by position where the store cannot count events (sparse positions)', () => {
    const sparse = { done: 10, total: null, fromPosition: 1000, position: 26_000, headPosition: 101_000 };
    expect(formatProgress(sparse, 1000, false)).toBe('rebuild: 25.0%, 10 events, 10 events/s, ETA 0:03');
  });

  it('handles an empty log and the very start', () => {
    expect(formatProgress({ done: 0, total: 0, fromPosition: 0, position: 0, headPosition: 0 }, 0, false)).toBe(
      'rebuild: 100.0%, 0/0 events, 0 events/s, done',
    );
    expect(formatProgress({ ...progress, done: 0, position: 0 }, 0, false)).toBe('rebuild: 0.0%, 0/10,000 events, 0 events/s, ETA –');
    // Events appended during the rebuild never push it past 100 %.
    expect(formatProgress({ ...progress, done: 10_050 }, 1000, false)).toMatch(/^rebuild: 100\.0%, 10,050\/10,000 events/);
  });

  it('writes durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_000)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
