import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServerProcess, waitForHealth } from '../support/server-process';

/** Starting Nest from the sources takes a few seconds; give the whole test ample room. */
jest.setTimeout(60_000);

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
    const server = startServerProcess({ PORT: 'abc', LEDGER_DATA_DIR: join(root, 'data') });
    running.push(server.child);

    const { code } = await server.exited;

    const { stderr } = server.output();
    expect(code).toBe(1);
    expect(stderr).toContain('PORT: must be an integer from 1 to 65535 (got "abc")');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('lists every bad variable at once', async () => {
    const server = startServerProcess({ PORT: '70000', LOG_LEVEL: 'loud', LEDGER_DATA_DIR: join(root, 'data') });
    running.push(server.child);

    const { code } = await server.exited;

    expect(code).toBe(1);
    expect(server.output().stderr).toMatch(/PORT: .*\n\s+LOG_LEVEL: /);
  });

  it('serves /health on the configured port and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = join(root, 'fresh', 'data');
    const server = startServerProcess({ PORT: String(port), HOST: '127.0.0.1', LEDGER_DATA_DIR: dataDir });
    running.push(server.child);

    const response = await waitForHealth(`http://127.0.0.1:${port}/health`, server, 45_000);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      store: { kind: 'sqlite', reachable: true, lastGlobalPosition: 0 },
    });
    expect(existsSync(join(dataDir, 'ledger.sqlite'))).toBe(true);
    // The read models in a file of their own: the projector's commits never hold the lock the appends need.
    expect(existsSync(join(dataDir, 'read-models.sqlite'))).toBe(true);
    const { stdout } = server.output();
    expect(stdout).toContain(`listening on http://127.0.0.1:${port}`);
    expect(stdout).toContain(`event store: sqlite; data dir: ${dataDir}`);

    server.child.kill('SIGTERM');
    const exit = await server.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.output().stdout).toContain('sqlite event store closed');
  });
});
