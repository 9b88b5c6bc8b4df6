import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { costPerOperation, processCpuMicros, startProcessCost } from '../../bench/support/process-cost';

describe('process cost of a bench phase', () => {
  const linux = process.platform === 'linux' ? it : it.skip;

  linux('counts the bytes this process writes, page cache or not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-cost-'));
    try {
      const cost = startProcessCost();
      writeFileSync(join(dir, 'a'), Buffer.alloc(300_000));
      const spent = cost();
      expect(spent.bytesWritten).toBeGreaterThanOrEqual(300_000);
      expect(spent.bytesWritten).toBeLessThan(400_000);
      expect(spent.cpuMicros).toBeGreaterThanOrEqual(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  linux("reads a process's CPU time by its pid, as the process itself counts it, to the 10 ms tick", () => {
    const busyUntil = Date.now() + 300;
    while (Date.now() < busyUntil) {
      // burn CPU so that there are ticks to count
    }
    const own = process.cpuUsage();
    const read = processCpuMicros(process.pid);
    expect(read).not.toBeNull();
    expect(Math.abs((read ?? 0) - (own.user + own.system))).toBeLessThanOrEqual(30_000);
    expect(processCpuMicros(2 ** 22 + 1)).toBeNull();
  });

  it('states CPU time and bytes written per operation', () => {
    const { notes, detail } = costPerOperation(
      { cpuMicros: 3_000_000, bytesWritten: 20 * 1024 * 1000 },
      1000,
      'event',
      'workload included',
    );
    expect(notes).toEqual(['3,000 µs CPU per event (workload included)', '20.0 KiB written per event']);
    expect(detail).toEqual({ cpuMicrosPerOperation: 3000, bytesWrittenPerOperation: 20 * 1024 });
  });

  it('leaves the bytes out where the system does not count them', () => {
    const { notes, detail } = costPerOperation({ cpuMicros: 500, bytesWritten: null }, 10, 'request');
    expect(notes).toEqual(['50 µs CPU per request']);
    expect(detail.bytesWrittenPerOperation).toBeNull();
  });
});
