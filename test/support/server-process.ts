import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { FROM_SOURCES } from './cli-process';

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
  'RATE_LIMIT_PER_MINUTE',
  'RATE_LIMIT_BURST_PER_SECOND',
  'SHUTDOWN_GRACE_MS',
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
  const node = [process.execPath, ...FROM_SOURCES, 'src/main.ts'];
  const [command, args] =
    options.umask === undefined ? [node[0], node.slice(1)] : ['/bin/sh', ['-c', `umask ${options.umask} && exec "$@"`, 'sh', ...node]];
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: serverEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  return watch(child);
}

function serverEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete inherited[name];
  return { ...inherited, ...env };
}

/**
 * Runs `npm start` in the project as a user would, in a process group of its own so that
 * killProcessGroup can end whatever it left behind. Signal `child.pid` alone to act as a
 * supervisor that knows only npm.
 */
export function startNpmStart(env: Record<string, string>): ServerProcess {
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: serverEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return watch(child);
}

/** SIGKILLs a detached child's whole process group, orphans included; for clean-up after a failure. */
export function killProcessGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is empty: nothing was left behind.
  }
}

/** The processes whose parent is `pid`, with their command lines (from ps, as on any Linux or macOS). */
export function childProcessesOf(pid: number): { pid: number; args: string }[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && Number(match[2]) === pid)
    .map((match) => ({ pid: Number(match[1]), args: match[3] }));
}

/** Whether a process with this id exists (signal 0 checks without signalling). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Rejects, naming what was awaited, if the promise has not settled within `ms`: no test waits forever. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`${what}: not within ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until the condition holds, failing after `ms`. */
export async function eventually(ms: number, what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
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
