import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { rate, type Measure } from '../report/measure';
import { LatencyRecorder, nowMs } from './latency';

export const RECORD_BYTES = 256;

/**
 * The machine's ceiling for durable one-by-one writes: 256-byte records appended to a file, each
 * followed by fdatasync before the next, as a store that syncs every record would have to.
 */
export function measureFdatasyncLimit(dir: string, seconds: number): Measure {
  const record = Buffer.alloc(RECORD_BYTES, 0x61);
  const latency = new LatencyRecorder();
  const fd = openSync(join(dir, 'records.log'), 'w');
  let written = 0;
  const started = nowMs();
  const deadline = started + seconds * 1000;
  try {
    while (nowMs() < deadline) {
      const t0 = nowMs();
      writeSync(fd, record);
      fdatasyncSync(fd);
      latency.record(nowMs() - t0);
      written++;
    }
  } finally {
    closeSync(fd);
  }
  const elapsed = nowMs() - started;
  return {
    id: 'limit.fdatasync',
    group: 'limit',
    title: 'append 256 B + fdatasync, one by one',
    value: rate(written, elapsed),
    unit: 'records/s',
    latency: latency.summary(),
    operations: written,
    durationSeconds: elapsed / 1000,
  };
}
