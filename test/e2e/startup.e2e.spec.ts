import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Starting Nest under ts-node takes a few seconds; give the whole test ample room. */
jest.setTimeout(60_000);

const PROJECT_ROOT = resolve(__dirname, '../..');
const CONFIG_VARIABLES = ['PORT', 'HOST', 'LEDGER_DATA_DIR', 'EVENTSTORE_CONNECTION_STRING', 'LOG_LEVEL', 'BODY_LIMIT_BYTES'];

interface Server {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the real entry point exactly as an operator would, with only the given config variables set. */
function startServer(env: Record<string, string>): Server {
  const inherited = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete inherited[name];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
function freePort(): Promise<number> {
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

async function waitForHealth(url: string, server: Server, deadlineMs: number): Promise<Response> {
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

describe('server process start-up (e2e)', () => {
  let root: string;
  const running: ChildProcess[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-startup-'));
  });

  afterEach(() => {
    // A failed assertion must not leave a server behind; kill only the processes this test started.
    for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses to start on a bad PORT, naming the variable, without a stack trace', async () => {
    const server = startServer({ PORT: 'abc', LEDGER_DATA_DIR: join(root, 'data') });
    running.push(server.child);

    const { code } = await server.exited;

    const { stderr } = server.output();
    expect(code).toBe(1);
    expect(stderr).toContain('PORT: must be an integer from 1 to 65535 (got "abc")');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('lists every bad variable at once', async () => {
    const server = startServer({ PORT: '70000', LOG_LEVEL: 'loud', LEDGER_DATA_DIR: join(root, 'data') });
    running.push(server.child);

    const { code } = await server.exited;

    expect(code).toBe(1);
    expect(server.output().stderr).toMatch(/PORT: .*\n\s+LOG_LEVEL: /);
  });

  it('serves /health on the configured port and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = join(root, 'fresh', 'data');
    const server = startServer({ PORT: String(port), HOST: '127.0.0.1', LEDGER_DATA_DIR: dataDir });
    running.push(server.child);

    const response = await waitForHealth(`http://127.0.0.1:${port}/health`, server, 45_000);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      store: { kind: 'sqlite', reachable: true, lastGlobalPosition: 0 },
    });
    expect(existsSync(join(dataDir, 'ledger.sqlite'))).toBe(true);
    const { stdout } = server.output();
    expect(stdout).toContain(`listening on http://127.0.0.1:${port}`);
    expect(stdout).toContain(`event store: sqlite; data dir: ${dataDir}`);

    server.child.kill('SIGTERM');
    const exit = await server.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.output().stdout).toContain('sqlite event store closed');
  });
});
