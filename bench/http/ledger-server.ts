import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseProgress } from '../report/console';
import { ChildServer, freePort } from './child-server';
import { httpGet } from './http-get';
import type { Platform } from './platform-app';
import { sourceLoaderArgs } from './source-loader';

/**
 * The real server as an operator runs it, in a process of its own: the built dist/main.js when it
 * is at least as new as every source file, else the sources through ts-node (the same code, only
 * compiled on start), so a stale build is never measured.
 */
export type ServerRuntime = 'dist' | 'source';

/** Every variable the server reads: none of the caller's may leak into the measured server. */
const SERVER_VARIABLES = [
  'PORT',
  'HOST',
  'LEDGER_DATA_DIR',
  'EVENTSTORE_CONNECTION_STRING',
  'LOG_LEVEL',
  'BODY_LIMIT_BYTES',
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  'JWT_PUBLIC_KEY_FILE',
  'JWT_ALGORITHMS',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_CLOCK_TOLERANCE_SECONDS',
  'IDEMPOTENCY_TTL_HOURS',
  'ATTACHMENT_MAX_BYTES',
  'RATE_LIMIT_PER_MINUTE',
  'RATE_LIMIT_BURST_PER_SECOND',
  'EVIDENCE_SIGNING_KEY_FILE',
  'TREE_HEAD_INTERVAL_SECONDS',
  'PLATFORM',
];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !/\.(spec|test-support)\.ts$/.test(entry.name))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function chooseRuntime(root: string, requested: 'auto' | ServerRuntime): { runtime: ServerRuntime; reason: string } {
  const built = join(root, 'dist', 'main.js');
  if (requested === 'source') return { runtime: 'source', reason: 'asked for (--server source)' };
  if (!existsSync(built)) {
    if (requested === 'dist') throw new Error('--server dist: dist/main.js does not exist; run `npm run build` first');
    return { runtime: 'source', reason: 'no build in dist/' };
  }
  if (requested === 'dist') return { runtime: 'dist', reason: 'asked for (--server dist)' };
  return statSync(built).mtimeMs >= newestSource(join(root, 'src'))
    ? { runtime: 'dist', reason: 'dist/ is up to date with src/' }
    : { runtime: 'source', reason: 'dist/ is older than src/ (run `npm run build` to measure the build)' };
}

/**
 * The node flags `npm start` gives the server (package.json's start script, `exec node <flags>
 * dist/main.js`), so the bench measures the server as configured for operators.
 */
export function startScriptNodeFlags(root: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const match = /^exec node((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/main\.js$/.exec(scripts?.start ?? '');
  if (!match)
    throw new Error(`package.json's start script is not \`exec node [--flag …] dist/main.js\`: ${JSON.stringify(scripts?.start)}`);
  return match[1].split(/\s+/).filter(Boolean);
}

export interface HealthAnswer {
  status: string;
  store: { lastGlobalPosition: number | null };
  projector?: { position: number; lag: number | null; status: string; detail?: string };
}

export class LedgerServer {
  private constructor(
    readonly process: ChildServer,
    readonly baseUrl: string,
    readonly runtime: ServerRuntime,
  ) {}

  /** With `platform`, the application on that platform from the sources (platform-app.ts) instead of src/main.ts. */
  static async start(options: {
    root: string;
    runtime: ServerRuntime;
    dataDir: string;
    jwtSecret: string;
    platform?: Platform;
  }): Promise<LedgerServer> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of SERVER_VARIABLES) delete env[name];
    Object.assign(env, {
      PORT: String(port),
      HOST: '127.0.0.1',
      LEDGER_DATA_DIR: options.dataDir,
      JWT_SECRET: options.jwtSecret,
      LOG_LEVEL: 'warn',
      // The limiter protects a server from callers; here the caller is the measurement.
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_BURST_PER_SECOND: '100000',
      // Evidence needs a signed head covering the seizure; sign one a second after the last event.
      TREE_HEAD_INTERVAL_SECONDS: '1',
    });
    if (options.platform) env.PLATFORM = options.platform;
    const nodeFlags = startScriptNodeFlags(options.root);
    const args = options.platform
      ? [...nodeFlags, ...sourceLoaderArgs(), 'bench/http/platform-app.ts']
      : options.runtime === 'dist'
        ? [...nodeFlags, 'dist/main.js']
        : [...nodeFlags, ...sourceLoaderArgs(), 'src/main.ts'];
    const name = options.platform ? `ledger server on ${options.platform}` : 'ledger server';
    const child = ChildServer.start(name, args, { cwd: options.root, env });
    return new LedgerServer(child, `http://127.0.0.1:${port}`, options.runtime);
  }

  async health(): Promise<HealthAnswer | null> {
    try {
      const answer = await httpGet(`${this.baseUrl}/health`);
      return answer.status === 200 ? (JSON.parse(answer.body) as HealthAnswer) : null;
    } catch {
      return null;
    }
  }

  private failure(why: string): Error {
    return new Error(`${why}\n--- server output ---\n${this.process.output()}`);
  }

  /** Until /health answers; throws if the process ends first or takes longer than `timeoutMs`. */
  async waitUntilListening(timeoutMs = 120_000): Promise<HealthAnswer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.process.running) throw this.failure('the server exited during start-up');
      const health = await this.health();
      if (health) return health;
      if (Date.now() > deadline) throw this.failure(`the server did not answer /health within ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  }

  /**
   * Until the read models include every event of the log. Fails if the projector fails, or
   * makes no progress for `stallMs` while behind.
   */
  async waitUntilCaughtUp(progress: PhaseProgress, stallMs = 120_000): Promise<HealthAnswer> {
    let lastPosition = -1;
    let lastMove = Date.now();
    for (;;) {
      const health = await this.health();
      if (!this.process.running) throw this.failure('the server exited while catching up');
      const projector = health?.projector;
      if (projector?.status === 'failed') throw this.failure(`the projector failed: ${projector.detail ?? 'no detail'}`);
      if (projector && projector.lag === 0 && projector.status === 'running') return health;
      if (projector && projector.position !== lastPosition) {
        lastPosition = projector.position;
        lastMove = Date.now();
        progress.update(projector.position);
      }
      if (Date.now() - lastMove > stallMs)
        throw this.failure(`the read models stopped at position ${lastPosition} for ${stallMs / 1000} s`);
      await sleep(200);
    }
  }

  /** Until a signed tree head covers `size` events: evidence bundles wait for one otherwise. */
  async waitForTreeHead(size: number, timeoutMs = 120_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await httpGet(`${this.baseUrl}/evidence/tree-heads/latest`).catch(() => null);
      if (answer?.status === 200) {
        const treeSize = (JSON.parse(answer.body) as { treeSize: number }).treeSize;
        if (treeSize >= size) return treeSize;
      }
      if (!this.process.running) throw this.failure('the server exited while waiting for a signed tree head');
      if (Date.now() > deadline) throw this.failure(`no signed tree head covered ${size} events within ${timeoutMs / 1000} s`);
      await sleep(250);
    }
  }

  async stop(): Promise<void> {
    const code = await this.process.stop();
    if (code !== 0) throw this.failure(`the server did not stop cleanly (exit code ${code})`);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
