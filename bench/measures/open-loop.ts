import { LatencyRecorder, nowMs, type LatencySummary } from './latency';

/**
 * An open-loop load: request i is due at t0 + i / rate and goes out then, however many earlier
 * requests are still unanswered, and its latency runs from that due time, not from when it was
 * sent. A server that stalls for a second therefore shows a second of latency on every request due
 * during the stall, as the users behind them feel it; a closed loop would wait with its next
 * request and record a single slow one (coordinated omission).
 */
export interface OpenLoopClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves once now() >= `ms`. */
  sleepUntil(ms: number): Promise<void>;
}

export const realClock: OpenLoopClock = {
  now: nowMs,
  sleepUntil: (ms) => {
    const wait = ms - nowMs();
    return wait <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
  },
};

/** One request's end: answered with 2xx, or not (another status, a broken connection, a timeout). */
export type SendOutcome = 'ok' | 'failed';

export interface OpenLoopOptions {
  /** Requests per second offered. */
  rate: number;
  seconds: number;
  /** Sends request `index`; resolves when it is answered. Must not reject. */
  send: (index: number) => Promise<SendOutcome>;
  /** How long after the last due time unanswered requests are still waited for. */
  drainMs: number;
  clock?: OpenLoopClock;
  onProgress?: (elapsedMs: number) => void;
}

export interface OpenLoopResult {
  rate: number;
  /** Requests due in the run, every one of them counted in `latency`. */
  scheduled: number;
  ok: number;
  failed: number;
  /** Still unanswered when the drain ended; counted as due time → end of the drain. */
  unanswered: number;
  /** From each request's due time to its answer (or to the end of the drain). */
  latency: LatencySummary;
  /** Answers per second over the run and its drain. */
  answeredPerSecond: number;
  /** How late the sender itself was, worst case: a late sender still counts from the due time. */
  maxSendLagMs: number;
  /** Most requests unanswered at once. */
  maxOutstanding: number;
  durationSeconds: number;
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const clock = options.clock ?? realClock;
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const interval = 1000 / options.rate;
  const latency = new LatencyRecorder();
  const settled = new Uint8Array(total);
  const counts = { ok: 0, failed: 0, outstanding: 0, maxOutstanding: 0 };
  let maxSendLagMs = 0;
  let lastAnswerAt = 0;
  const pending: Array<Promise<void>> = [];
  const t0 = clock.now();

  for (let i = 0; i < total; i++) {
    const due = t0 + i * interval;
    if (clock.now() < due) await clock.sleepUntil(due);
    maxSendLagMs = Math.max(maxSendLagMs, clock.now() - due);
    counts.outstanding++;
    counts.maxOutstanding = Math.max(counts.maxOutstanding, counts.outstanding);
    pending.push(
      options.send(i).then((outcome) => {
        if (settled[i]) return;
        settled[i] = 1;
        counts.outstanding--;
        lastAnswerAt = clock.now();
        latency.record(lastAnswerAt - due);
        counts[outcome]++;
      }),
    );
    if (i % 64 === 0) options.onProgress?.(clock.now() - t0);
  }

  const drainEnd = t0 + (total - 1) * interval + options.drainMs;
  await Promise.race([Promise.all(pending), clock.sleepUntil(drainEnd)]);
  // Whatever is still unanswered took at least until now: counted, never left out.
  const end = clock.now();
  let unanswered = 0;
  for (let i = 0; i < total; i++) {
    if (settled[i]) continue;
    settled[i] = 1;
    unanswered++;
    latency.record(end - (t0 + i * interval));
  }
  const elapsedMs = Math.max(unanswered > 0 ? end : lastAnswerAt, t0 + (total - 1) * interval) - t0;
  return {
    rate: options.rate,
    scheduled: total,
    ok: counts.ok,
    failed: counts.failed,
    unanswered,
    latency: latency.summary(),
    answeredPerSecond: elapsedMs > 0 ? ((counts.ok + counts.failed) * 1000) / elapsedMs : NaN,
    maxSendLagMs,
    maxOutstanding: counts.maxOutstanding,
    durationSeconds: elapsedMs / 1000,
  };
}
