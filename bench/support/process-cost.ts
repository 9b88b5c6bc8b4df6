import { readFileSync } from 'node:fs';

/** What this process spent between two readings: CPU time, and bytes handed to write(). */
export interface ProcessCost {
  cpuMicros: number;
  /** Bytes this process passed to write() and pwrite() (Linux /proc/self/io `wchar`); null elsewhere. */
  bytesWritten: number | null;
}

/**
 * `wchar` counts every byte SQLite writes (WAL frames, checkpoints into the database file), whether
 * or not the page cache has reached the disk yet, so it measures the write amplification of the
 * code rather than the kernel's flushing. Progress lines on stderr count too; they are a few bytes.
 */
function bytesWrittenSoFar(): number | null {
  try {
    const match = /^wchar:\s*(\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Linux reports a process's times in clock ticks of USER_HZ, 100 per second on every architecture Node runs on. */
const USER_HZ = 100;

/**
 * CPU time another process (a server under load, say) has used so far, user plus system, from
 * Linux `/proc/<pid>/stat`; null where there is no such file. Read before and after a phase and
 * divide the difference by the requests served: CPU time per request. Ticks are 10 ms, so a phase
 * should last seconds.
 */
export function processCpuMicros(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields 14 and 15 (utime, stime); the command name, field 2, is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? (ticks * 1_000_000) / USER_HZ : null;
}

/** Starts counting; the returned function gives what was spent since. */
export function startProcessCost(): () => ProcessCost {
  const cpu = process.cpuUsage();
  const written = bytesWrittenSoFar();
  return () => {
    const used = process.cpuUsage(cpu);
    const now = bytesWrittenSoFar();
    return { cpuMicros: used.user + used.system, bytesWritten: written === null || now === null ? null : now - written };
  };
}

/** The notes and detail fields that say what each operation cost, e.g. per event. */
export function costPerOperation(
  cost: ProcessCost,
  operations: number,
  unit: string,
  cpuCaveat?: string,
): { notes: string[]; detail: Record<string, number | null> } {
  const cpuMicrosPer = operations > 0 ? cost.cpuMicros / operations : NaN;
  const bytesPer = cost.bytesWritten === null || operations === 0 ? null : cost.bytesWritten / operations;
  return {
    notes: [
      `${Math.round(cpuMicrosPer).toLocaleString('en-US')} µs CPU per ${unit}${cpuCaveat === undefined ? '' : ` (${cpuCaveat})`}`,
      ...(bytesPer === null ? [] : [`${(bytesPer / 1024).toFixed(1)} KiB written per ${unit}`]),
    ],
    detail: { cpuMicrosPerOperation: cpuMicrosPer, bytesWrittenPerOperation: bytesPer },
  };
}
