import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '../..');

/** Variables the server reads; none leaks in from the test runner's own environment. */
const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'LEDGER_DATA_DIR',
  'EVENTSTORE_CONNECTION_STRING',
  'LOG_LEVEL',
  'BODY_LIMIT_BYTES',
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  'JWT_PUBLIC_KEY_FILE',
  'EVIDENCE_SIGNING_KEY_FILE',
];

export interface ServerProcess {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the real entry point as an operator would, with only the given config variables set and,
 * when asked, under a umask (through a shell that execs node, so the child is the server itself).
 */
export function startServerProcess(env: Record<string, string>, options: { umask?: string } = {}): ServerProcess {
  const inherited = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete inherited[name];
  const node = [process.execPath, '-r', 'ts-node/register/transpile-only', 'src/main.ts'];
  const [command, args] =
    options.umask === undefined ? [node[0], node.slice(1)] : ['/bin/sh', ['-c', `umask ${options.umask} && exec "$@"`, 'sh', ...node]];
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return watch(child);
}

/** Collects a child's output and exit. */
export function watch(child: ChildProcess): ServerProcess {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** A port nothing listens on right now: bind to 0, read the port the kernel chose, release it. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') return fail(new Error('no TCP address'));
      probe.close(() => done(address.port));
    });
  });
}

export async function waitForHealth(url: string, server: ServerProcess, deadlineMs: number): Promise<Response> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (server.child.exitCode !== null) {
      throw new Error(`server exited early (code ${server.child.exitCode}):\n${server.output().stderr}`);
    }
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
