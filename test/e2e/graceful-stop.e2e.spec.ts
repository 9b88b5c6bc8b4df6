import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { secretAuthConfig } from '../../src/auth/auth-config';
import { testToken } from '../../src/auth/auth.test-support';
import { seizureStreamName } from '../../src/custody/events';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import {
  PROJECT_ROOT,
  eventually,
  freePort,
  startServerProcess,
  waitForHealth,
  within,
  type ServerProcess,
} from '../support/server-process';
import { FROM_SOURCES } from '../support/cli-process';

/** Two server starts from the sources, a CLI run and a burst of appends per signal, on 2 shared cores. */
jest.setTimeout(240_000);

/** Generous: a liveness bound (the server must stop by itself), not a speed target. */
const GRACE_MS = 60_000;
const BURST = 120;

/** What one append of the burst got: an HTTP status, or the connection error it failed with. */
type Outcome = { seizureId: string; status: number } | { seizureId: string; failure: string };

function recordSeizure(base: string, authorization: string): Promise<Outcome> {
  const seizureId = randomUUID();
  return fetch(`${base}/seizures`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(recordSeizureCommand({ seizureId }).data),
  }).then(
    async (response) => {
      await response.arrayBuffer();
      return { seizureId, status: response.status };
    },
    (error: Error & { cause?: { code?: string } }) => ({ seizureId, failure: `${error.message}: ${error.cause?.code ?? 'no code'}` }),
  );
}

/**
 * An append whose headers the server has accepted (it answered 100 Continue) and whose body is
 * only half sent: in flight by any measure. `finish` sends the rest.
 */
async function halfSentAppend(port: number, authorization: string, seizureId: string) {
  const body = Buffer.from(JSON.stringify(recordSeizureCommand({ seizureId }).data));
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/seizures',
    headers: { authorization, 'content-type': 'application/json', 'content-length': body.length, expect: '100-continue' },
  });
  const answer = new Promise<{ status: number; connection: string | undefined }>((done, fail) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', fail);
  });
  await within(30_000, '100 Continue', new Promise<void>((done) => req.once('continue', done)));
  req.write(body.subarray(0, body.length / 2));
  return { answer, finish: () => req.end(body.subarray(body.length / 2)) };
}

/** Reads an event stream to its end and returns everything it sent. */
async function readToEnd(response: Response): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
  return text;
}

function verifyStore(dataDir: string): {
  status: number | null;
  result: { ok: boolean; chain: { eventsChecked: number; streamsChecked: number } };
} {
  const run = spawnSync(process.execPath, [...FROM_SOURCES, 'src/cli/main.ts', 'verify-store', '--json'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LEDGER_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, result: JSON.parse(run.stdout) };
}

function streamsIn(dataDir: string): Set<string> {
  const db = new BetterSqlite3(join(dataDir, 'ledger.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT DISTINCT stream_name AS name FROM events').all() as { name: string }[];
    return new Set(rows.map((row) => row.name));
  } finally {
    db.close();
  }
}

describe('stopping the server process under load (e2e)', () => {
  let root: string;
  const running: ServerProcess[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-stop-'));
  });

  afterEach(async () => {
    // A failed assertion must not leave a server behind; kill only the processes this test started.
    for (const server of running.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await within(10_000, 'killed server exit', server.exited);
      }
    }
    rmSync(root, { recursive: true, force: true });
  });

  const start = async (dataDir: string) => {
    const port = await freePort();
    const server = startServerProcess({
      PORT: String(port),
      HOST: '127.0.0.1',
      LEDGER_DATA_DIR: dataDir,
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      // Plain log lines, to look for in the output.
      NO_COLOR: '1',
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_BURST_PER_SECOND: '100000',
    });
    running.push(server);
    const base = `http://127.0.0.1:${port}`;
    expect((await waitForHealth(`${base}/health`, server, 90_000)).status).toBe(200);
    return { server, port, base };
  };

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s answers the appends in flight, refuses the rest by connection, closes every database and exits 0',
    async (signal) => {
      const dataDir = join(root, 'data');
      const { server, port, base } = await start(dataDir);
      const config = secretAuthConfig(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim());
      const authorization = `Bearer ${testToken(actors.flyingSquad, { config })}`;
      const feed = await fetch(`${base}/events/stream`, { headers: { authorization } });
      expect(feed.status).toBe(200);
      const feedText = readToEnd(feed);
      const slowId = randomUUID();
      const slow = await halfSentAppend(port, authorization, slowId);

      // The signal goes out once a quarter of the burst is answered: the rest are in flight or queued.
      let answeredSoFar = 0;
      const burst = Array.from({ length: BURST }, () =>
        recordSeizure(base, authorization).then((outcome) => {
          answeredSoFar += 'status' in outcome ? 1 : 0;
          return outcome;
        }),
      );
      await eventually(GRACE_MS, 'a quarter of the burst answered', () => answeredSoFar >= BURST / 4);
      server.child.kill(signal);
      await eventually(30_000, 'the server saying it stops', () => server.output().stdout.includes(`${signal}: refusing new connections`));
      slow.finish();
      const outcomes = await within(GRACE_MS, 'the burst', Promise.all(burst));
      const exit = await within(GRACE_MS + 30_000, 'the server exit', server.exited);

      const answered = outcomes.filter((o): o is { seizureId: string; status: number } => 'status' in o);
      const refused = outcomes.filter((o): o is { seizureId: string; failure: string } => 'failure' in o);
      process.stdout.write(
        `${signal}: exit ${JSON.stringify(exit)}; ${answered.length} of ${BURST} answered ` +
          `(${answered.filter((o) => o.status === 201).length} × 201), ${refused.length} refused: ` +
          `${[...new Set(refused.map((o) => o.failure))].join(', ') || 'none'}\n`,
      );
      expect(exit).toEqual({ code: 0, signal: null });
      expect(answered.length).toBeGreaterThan(0);
      expect(answered.filter((o) => o.status !== 201)).toEqual([]);
      for (const { failure } of refused) expect(failure).toMatch(/^fetch failed: (ECONNREFUSED|ECONNRESET|EPIPE|UND_ERR_SOCKET)$/);
      await expect(slow.answer).resolves.toEqual({ status: 201, connection: 'close' });
      expect(await within(10_000, 'the live feed end', feedText)).toContain('the server is shutting down');
      const { stdout, stderr } = server.output();
      expect(stdout).toContain('HTTP server closed with every request answered');
      for (const closed of ['idempotency store closed', 'read-model database closed', 'sqlite event store closed', '[Shutdown] stopped']) {
        expect(stdout).toContain(closed);
      }
      expect(stderr).not.toMatch(/ERROR/);

      // Every database was closed: SQLite removes the -wal and -shm files when the last connection closes.
      expect(readdirSync(dataDir).filter((name) => /-(wal|shm)$/.test(name))).toEqual([]);
      // The ledger holds exactly the answered appends, whole: the chain verifies and nothing refused got in.
      const verified = verifyStore(dataDir);
      expect(verified).toEqual({
        status: 0,
        result: expect.objectContaining({ ok: true, chain: expect.objectContaining({ ok: true, eventsChecked: answered.length + 1 }) }),
      });
      expect(streamsIn(dataDir)).toEqual(new Set([slowId, ...answered.map((o) => o.seizureId)].map(seizureStreamName)));

      // A second start on the same data works and serves what was answered before the stop.
      const again = await start(dataDir);
      const health = await (await fetch(`${again.base}/health`)).json();
      expect(health).toMatchObject({ store: { lastGlobalPosition: answered.length + 1 } });
      const seizure = await fetch(`${again.base}/seizures/${slowId}`, { headers: { authorization } });
      expect(seizure.status).toBe(200);
      again.server.child.kill(signal);
      expect(await within(GRACE_MS + 30_000, 'the second exit', again.server.exited)).toEqual({ code: 0, signal: null });
    },
  );
});
