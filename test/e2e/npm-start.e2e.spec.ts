import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  childProcessesOf,
  eventually,
  freePort,
  isRunning,
  killProcessGroup,
  startNpmStart,
  waitForHealth,
  within,
  type ServerProcess,
} from '../support/server-process';

/**
 * `npm start` rebuilds first when dist/ is older than the sources (a minute or two on a busy
 * machine), then starts the compiled server: room for both.
 */
jest.setTimeout(420_000);

/** Whether something can listen on the port now, i.e. nothing holds it. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

describe('npm start (e2e)', () => {
  let root: string;
  const started: ServerProcess[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-npm-start-'));
  });

  afterEach(() => {
    // Whatever happened, nothing this test started stays: npm, its shell if any, and the server.
    for (const npm of started.splice(0)) killProcessGroup(npm.child);
    rmSync(root, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops the server when only npm gets %s, freeing the port', async (signal) => {
    const port = await freePort();
    const npm = startNpmStart({ PORT: String(port), HOST: '127.0.0.1', LEDGER_DATA_DIR: join(root, 'data'), NO_COLOR: '1' });
    started.push(npm);
    expect((await waitForHealth(`http://127.0.0.1:${port}/health`, npm, 360_000)).status).toBe(200);
    // npm's child is the server itself (the script execs node), so the signals npm forwards reach it.
    const [server, ...others] = childProcessesOf(npm.child.pid as number);
    expect(others).toEqual([]);
    expect(server.args).toMatch(/node --max-semi-space-size=4 dist\/main\.js$/);

    npm.child.kill(signal);
    const exit = await within(60_000, 'npm exit', npm.exited);

    await eventually(30_000, 'the server process gone', () => !isRunning(server.pid));
    expect(await portIsFree(port)).toBe(true);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow('fetch failed');
    expect(exit).toEqual({ code: 0, signal: null });
    const { stdout } = npm.output();
    expect(stdout).toContain(`${signal}: refusing new connections`);
    expect(stdout).toContain('[Shutdown] stopped');
  });
});
