import { readFileSync, readdirSync } from 'node:fs';

/**
 * Resident memory of a process and every process it started, and theirs in turn, from /proc
 * (Linux). Worker threads share their process's memory, so its RSS already holds them.
 */
export interface TreeMemory {
  /** Sum of VmRSS over the tree, MiB. */
  rssMb: number;
  /** Sum of each process's own peak (VmHWM), MiB: an upper bound, as they need not peak together. */
  peakRssMb: number;
  processes: number;
  threads: number;
}

export function processTreeMemory(pid: number, proc = '/proc'): TreeMemory | null {
  const pids = processTree(pid, proc);
  if (pids.length === 0) return null;
  let rssKb = 0;
  let peakKb = 0;
  let threads = 0;
  let counted = 0;
  for (const each of pids) {
    const status = readOrNull(`${proc}/${each}/status`);
    // A child may end between listing and reading: it holds no memory any more.
    if (status === null) continue;
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    rssKb += field('VmRSS');
    peakKb += field('VmHWM');
    threads += field('Threads');
    counted++;
  }
  return counted === 0 ? null : { rssMb: rssKb / 1024, peakRssMb: peakKb / 1024, processes: counted, threads };
}

/** `pid` and its descendants, read from each thread's children list. */
function processTree(pid: number, proc: string): number[] {
  const seen: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    if (seen.includes(next)) continue;
    let tasks: string[];
    try {
      tasks = readdirSync(`${proc}/${next}/task`);
    } catch {
      continue;
    }
    seen.push(next);
    for (const task of tasks) {
      const children = readOrNull(`${proc}/${next}/task/${task}/children`) ?? '';
      for (const child of children.split(/\s+/).filter(Boolean)) queue.push(Number(child));
    }
  }
  return seen;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
