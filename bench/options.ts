import { parseArgs } from 'node:util';
import { DEFAULT_SEIZURES } from './support/budget';

export const PHASES = ['limits', 'store', 'peer', 'server', 'open-loop', 'fastify', 'rebuild', 'sealing', 'sealing-cost'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  seizures: number;
  seed: number;
  phases: ReadonlySet<Phase>;
  outDir: string;
  quiet: boolean;
  server: 'auto' | 'dist' | 'source';
  /** Time box of each peer run; by default it grows with the size. */
  peerSeconds: number | null;
  /** Length of each HTTP load run; by default it grows with the size. */
  httpSeconds: number | null;
  connections: number;
  /** Length of each open-loop run at one rate; by default it grows with the size. */
  openLoopSeconds: number | null;
  /** Rounds of the fastify phase, each starting the application once on Express and once on Fastify. */
  fastifyRounds: number;
  /** Leave out the warning on a busy machine (the tiny run inside `npm test`, where the machine is busy by design). */
  skipLoadCheck: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

Measures the ledger against this machine's limits and a peer store, prints one table to stdout
and writes the figures as JSON. Progress goes to stderr.

Options:
  --seizures <n>       size of the workload (default ${DEFAULT_SEIZURES.toLocaleString('en-US')}, about 800,000 events)
  --seed <n>           seed of the workload generator (default 2024)
  --only <phases>      comma list of ${PHASES.join(', ')} (default: all);
                       server, open-loop, fastify and rebuild also fill the ledger (store appends at
                       concurrency 64); limits with one of them also measures raw SQLite at the
                       rows per transaction our group commit achieved there;
                       sealing-cost runs commands with and without sealing (24 seizures at
                       200 to 1,000 at 100,000); fastify starts the application from the
                       sources on Express and on Fastify in turn and sends both the same
                       commands, then each platform's bare route
  --out <dir>          where the JSON goes (default bench/results)
  --server <how>       auto (default: the build if up to date, else the sources), dist or source
  --peer-seconds <n>   time box of each peer run (default 2 s at 200 seizures to 30 s at 100,000)
  --http-seconds <n>   length of each HTTP load (default 3 s at 200 seizures to 20 s at 100,000)
  --connections <n>    HTTP connections of the load (default 64)
  --open-loop-seconds <n>
                       length of each open-loop run at one rate (default 1 s at 200 seizures
                       to 20 s at 100,000)
  --fastify-rounds <n> rounds of the fastify phase (default 2: Express, Fastify, Fastify, Express)
  --skip-load-check    no warning when the load average is above 1 before the run
  --quiet              no progress on stderr
  -h, --help           this text
`;

export class UsageError extends Error {}

function positiveInteger(name: string, value: string | undefined, fallback: number, max = 100_000_000): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw new UsageError(`--${name} must be an integer from 1 to ${max} (got ${JSON.stringify(value)})`);
  return Number(value);
}

export function parseOptions(args: readonly string[], defaultOutDir: string): BenchOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        seizures: { type: 'string' },
        seed: { type: 'string' },
        only: { type: 'string' },
        out: { type: 'string' },
        server: { type: 'string' },
        'peer-seconds': { type: 'string' },
        'http-seconds': { type: 'string' },
        connections: { type: 'string' },
        'open-loop-seconds': { type: 'string' },
        'fastify-rounds': { type: 'string' },
        'skip-load-check': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const phases =
    values.only === undefined
      ? [...PHASES]
      : values.only
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
  const unknown = phases.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (unknown.length > 0 || phases.length === 0)
    throw new UsageError(`--only takes a comma list of ${PHASES.join(', ')} (got ${JSON.stringify(values.only)})`);
  const server = values.server ?? 'auto';
  if (server !== 'auto' && server !== 'dist' && server !== 'source')
    throw new UsageError(`--server must be auto, dist or source (got ${JSON.stringify(server)})`);
  return {
    seizures: positiveInteger('seizures', values.seizures, DEFAULT_SEIZURES, 10_000_000),
    seed: values.seed === undefined ? 2024 : positiveInteger('seed', values.seed, 2024, 2 ** 31 - 1),
    phases: new Set(phases as Phase[]),
    outDir: values.out ?? defaultOutDir,
    quiet: values.quiet === true,
    server,
    peerSeconds: values['peer-seconds'] === undefined ? null : positiveInteger('peer-seconds', values['peer-seconds'], 0, 3600),
    httpSeconds: values['http-seconds'] === undefined ? null : positiveInteger('http-seconds', values['http-seconds'], 0, 3600),
    connections: positiveInteger('connections', values.connections, 64, 1024),
    openLoopSeconds:
      values['open-loop-seconds'] === undefined ? null : positiveInteger('open-loop-seconds', values['open-loop-seconds'], 0, 3600),
    fastifyRounds: positiveInteger('fastify-rounds', values['fastify-rounds'], 2, 20),
    skipLoadCheck: values['skip-load-check'] === true,
  };
}
