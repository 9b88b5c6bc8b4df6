import { randomUUID } from 'node:crypto';
import { RecordSeizureRequest } from '../../src/custody/http/seizure-record.dto';
import { createValidationPipe } from '../../src/platform/http/validation';
import { bodyOf, type CommandTemplate } from '../http/command-load';
import type { Measure } from '../report/measure';
import { LatencyRecorder, nowMs } from './latency';

/**
 * What validation costs one "record a seizure" request: the server's own global pipe
 * (class-transformer and class-validator on the nested record) transforming the same bodies the
 * load sends, already parsed as the JSON body parser hands them over, one at a time in this
 * process, timed per call. Set beside the request's p50 at the fixed open-loop rate, as a share.
 */
export async function measureValidationCost(
  templates: readonly CommandTemplate[],
  seconds: number,
  requestP50Ms: number,
): Promise<Measure> {
  const pipe = createValidationPipe();
  const metadata = { type: 'body' as const, metatype: RecordSeizureRequest, data: '' };
  const bodies = templates.map((t) => bodyOf(t, randomUUID()));
  // Warm-up, so the JIT has compiled the validators before they are timed.
  for (let i = 0; i < 200; i++) await pipe.transform(JSON.parse(bodies[i % bodies.length]), metadata);
  const latency = new LatencyRecorder();
  const deadline = nowMs() + seconds * 1000;
  let i = 0;
  while (nowMs() < deadline) {
    const body: unknown = JSON.parse(bodies[i++ % bodies.length]);
    const t0 = nowMs();
    await pipe.transform(body, metadata);
    latency.record(nowMs() - t0);
  }
  const summary = latency.summary();
  const share = Number.isFinite(requestP50Ms) && requestP50Ms > 0 ? summary.meanMs / requestP50Ms : null;
  return {
    id: 'ours.validation-cost',
    group: 'ours',
    title: 'validation of a record-seizure body (ValidationPipe)',
    value: summary.meanMs * 1000,
    unit: 'µs/request',
    latency: summary,
    operations: summary.samples,
    durationSeconds: seconds,
    notes: [
      'the server’s global pipe on the load’s bodies, in the bench process, one at a time; mean per request',
      share === null
        ? 'no open-loop p50 to compare with'
        : `${(share * 100).toFixed(1)} % of a request’s p50 at the fixed open-loop rate (${requestP50Ms.toFixed(2)} ms, network and queueing included)`,
    ],
    detail: { meanMs: summary.meanMs, requestP50Ms, shareOfRequestP50: share },
  };
}
