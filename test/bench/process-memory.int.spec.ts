import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processTreeMemory } from '../../bench/http/process-memory';

/** A /proc of our own: the server (pid 10, two threads) started 11, which started 12; 13 is not its. */
function fakeProc(): string {
  const proc = mkdtempSync(join(tmpdir(), 'fake-proc-'));
  const processes: Array<{ pid: number; threads: Record<number, string>; rssKb: number; peakKb: number }> = [
    { pid: 10, threads: { 10: '', 15: '11 ' }, rssKb: 102_400, peakKb: 153_600 },
    { pid: 11, threads: { 11: '12' }, rssKb: 20_480, peakKb: 30_720 },
    { pid: 12, threads: { 12: '' }, rssKb: 10_240, peakKb: 10_240 },
    { pid: 13, threads: { 13: '' }, rssKb: 999_999, peakKb: 999_999 },
  ];
  for (const p of processes) {
    for (const [tid, children] of Object.entries(p.threads)) {
      mkdirSync(join(proc, String(p.pid), 'task', tid), { recursive: true });
      writeFileSync(join(proc, String(p.pid), 'task', tid, 'children'), children);
    }
    const threads = Object.keys(p.threads).length;
    writeFileSync(
      join(proc, String(p.pid), 'status'),
      `Name:\tnode\nVmHWM:\t${p.peakKb} kB\nVmRSS:\t${p.rssKb} kB\nThreads:\t${threads}\n`,
    );
  }
  return proc;
}

describe('memory of a process tree', () => {
  let proc: string;
  beforeAll(() => (proc = fakeProc()));
  afterAll(() => rmSync(proc, { recursive: true, force: true }));

  it('sums the process and every descendant, found through any of its threads, and nothing else', () => {
    expect(processTreeMemory(10, proc)).toEqual({ rssMb: 130, peakRssMb: 190, processes: 3, threads: 4 });
  });

  it('is null for a process that is not there', () => {
    expect(processTreeMemory(99, proc)).toBeNull();
  });

  it('reads this very process from the real /proc where there is one', () => {
    const own = processTreeMemory(process.pid);
    if (process.platform !== 'linux') expect(own).toBeNull();
    else expect({ processes: own?.processes, hasMemory: (own?.rssMb ?? 0) > 0 }).toEqual({ processes: own?.processes, hasMemory: true });
  });
});
