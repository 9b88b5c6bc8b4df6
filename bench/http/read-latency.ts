import { LatencyRecorder, nowMs, type LatencySummary } from '../measures/latency';
import type { PhaseProgress } from '../report/console';
import { httpGet, keepAliveAgent } from './http-get';

export interface ReadLatencyOptions {
  /** Full URLs, in the order to ask; the first `warmUp` are not counted. */
  urls: readonly string[];
  warmUp: number;
  token: string;
  progress: PhaseProgress;
}

export interface ReadLatencyResult {
  latency: LatencySummary;
  requestsPerSecond: number;
  meanBytes: number;
}

/**
 * One client asking one request after another on a kept-alive connection: the time a user waits
 * for an answer on an idle server. Anything but 200 stops the run with the server's answer.
 */
export async function measureReadLatency(options: ReadLatencyOptions): Promise<ReadLatencyResult> {
  const agent = keepAliveAgent();
  const headers = { authorization: `Bearer ${options.token}` };
  const latency = new LatencyRecorder();
  let bytes = 0;
  let measuredMs = 0;
  try {
    for (let i = 0; i < options.urls.length; i++) {
      const t0 = nowMs();
      const answer = await httpGet(options.urls[i], headers, agent);
      const elapsed = nowMs() - t0;
      if (answer.status !== 200) throw new Error(`GET ${options.urls[i]} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
      if (i < options.warmUp) continue;
      latency.record(elapsed);
      measuredMs += elapsed;
      bytes += answer.body.length;
      if (i % 50 === 0) options.progress.update(i);
    }
  } finally {
    agent.destroy();
  }
  return {
    latency: latency.summary(),
    requestsPerSecond: (latency.count * 1000) / measuredMs,
    meanBytes: bytes / Math.max(1, latency.count),
  };
}
