import { inspect } from 'node:util';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { Actor } from '../../src/shared/actor';
import { LatencyRecorder, type LatencySummary } from '../measures/latency';
import type { PhaseProgress } from '../report/console';
import { planSeizure } from '../workload/seizure-plan';
import type { TokenMinter } from './tokens';

/**
 * "Record a seizure" requests (POST /seizures) as field devices send them: the workload's own
 * memos, each request with a seizure id of its own (and, when asked, an Idempotency-Key of its
 * own), each signed in as the officer who seized. Bodies are prepared before the run and only the
 * id is put in per request, so the load generator spends its time sending, not building JSON.
 */
export interface CommandTemplate {
  headers: Record<string, string>;
  /** The body before and after the seizure id. */
  before: string;
  after: string;
}

const TEMPLATE_COUNT = 500;
/** Seizures of the request bodies are drawn far past the ledger's, so none is already recorded. */
const FIRST_TEMPLATE_INDEX = 50_000_000;

export async function commandTemplates(seed: number, tokens: TokenMinter): Promise<CommandTemplate[]> {
  const templates: CommandTemplate[] = [];
  for (let i = 0; i < TEMPLATE_COUNT; i++) {
    const plan = planSeizure(seed, FIRST_TEMPLATE_INDEX + i);
    const officer: Actor = plan.officer;
    const body = JSON.stringify(plan.record.data);
    const at = body.indexOf(plan.seizureId);
    templates.push({
      headers: { authorization: `Bearer ${await tokens.tokenFor(officer)}`, 'content-type': 'application/json' },
      before: body.slice(0, at),
      after: body.slice(at + plan.seizureId.length),
    });
  }
  return templates;
}

export const bodyOf = (template: CommandTemplate, seizureId: string): string => template.before + seizureId + template.after;

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  durationSeconds: number;
  non2xx: number;
  /** Connection errors other than timeouts. */
  errors: number;
  /** Requests unanswered after TIMEOUT_SECONDS; counted in the latency as that long. */
  timeouts: number;
  statusCodes: Record<string, number>;
}

/** How long a client waits for an answer before it gives up (autocannon's default). */
export const TIMEOUT_SECONDS = 10;

export interface LoadOptions {
  baseUrl: string;
  path: string;
  templates: readonly CommandTemplate[];
  connections: number;
  seconds: number;
  idempotencyKeys: boolean;
  progress: PhaseProgress;
  /** Where the response times go; a fresh recorder unless given (runs that are read together share one). */
  latency?: LatencyRecorder;
}

/** autocannon at a fixed number of connections for a fixed time; every response's time is kept exactly. */
export function runCommandLoad(options: LoadOptions): Promise<LoadResult> {
  const latency = options.latency ?? new LatencyRecorder();
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        timeout: TIMEOUT_SECONDS,
        duration: options.seconds,
        requests: [
          {
            method: 'POST',
            path: options.path,
            setupRequest: (request) => {
              const template = options.templates[next++ % options.templates.length];
              const headers = options.idempotencyKeys ? { ...template.headers, 'idempotency-key': randomUUID() } : template.headers;
              return { ...request, headers, body: bodyOf(template, randomUUID()) };
            },
          },
        ],
      },
      (error: unknown, result: autocannon.Result) => {
        clearInterval(ticker);
        if (error) return reject(error instanceof Error ? error : new Error(inspect(error)));
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]));
        const completed = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
        // A request that timed out took at least the timeout: leaving it out would flatter p99.
        for (let i = 0; i < result.timeouts; i++) latency.record(TIMEOUT_SECONDS * 1000);
        resolve({
          requests: completed,
          requestsPerSecond: completed / result.duration,
          latency: latency.summary(),
          durationSeconds: result.duration,
          non2xx: result.non2xx,
          errors: result.errors - result.timeouts,
          timeouts: result.timeouts,
          statusCodes,
        });
      },
    );
    // autocannon emits (client, status, bytes, milliseconds); its typings leave out the client.
    (instance as NodeJS.EventEmitter).on('response', (_client: unknown, status: number, _bytes: number, milliseconds: number) => {
      if (status >= 200 && status < 300) latency.record(milliseconds);
    });
    const started = Date.now();
    const ticker = setInterval(() => options.progress.update(Math.floor((Date.now() - started) / 1000)), 500);
  });
}
