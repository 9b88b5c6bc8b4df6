import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { Checkpoints } from '../../projections/checkpoints';
import { Projector } from '../../projections/projector';
import { appendWorkload, createTestProjection, dumpTestProjection } from '../../projections/projector.test-support';
import { openReadModelDatabase } from '../../projections/read-model-database';
import { systemClock } from '../../shared/clock';
import type { CliIo } from '../cli-command';
import { runCli } from '../main';
import { createRebuildCommand } from './rebuild.command';
import { FROM_SOURCES } from '../../../test/support/cli-process';
import { copyPreviousReleaseDataDir, readPreviousReleaseManifest } from '../../../test/support/previous-release-data-dir';

jest.setTimeout(60_000);

const projectRoot = resolve(__dirname, '../../..');

describe('rebuild command (real SQLite file)', () => {
  let dataDir: string;
  let out: string[];
  let err: string[];
  let io: CliIo;
  let clock: number;

  const command = (options: { tty?: boolean; projections?: ReturnType<typeof createTestProjection>[] } = {}) =>
    new Map([
      [
        'rebuild',
        createRebuildCommand({
          projections: options.projections ?? [createTestProjection()],
          stderrIsTty: () => options.tty === true,
          now: () => (clock += 250),
        }),
      ],
    ]);
  const config = () => ({ dataDir });

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-cli-'));
    out = [];
    err = [];
    clock = 0;
    io = { env: { LEDGER_DATA_DIR: dataDir }, cwd: projectRoot, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
    const store = SqliteEventStore.open({ filename: join(dataDir, 'ledger.sqlite'), clock: systemClock });
    await appendWorkload(store, 120, { seed: 5 });
    await store.close();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rebuilds from the log, with plain progress lines when stderr is not a terminal', async () => {
    expect(await runCli(['rebuild', '--batch-size', '50'], io, command())).toBe(0);
    expect(out.join('')).toBe('rebuilt test-projection: 120 events read, up to position 120\n');
    const progress = err.join('');
    expect(progress).toContain('test-projection: rebuilding from the start of the log\n');
    expect(progress).toMatch(/^rebuild: 0\.0%, 0\/120 events, 0 events\/s, ETA –$/m);
    expect(progress).toMatch(/^rebuild: 100\.0%, 120\/120 events, \d+ events\/s, done$/m);
    expect(progress).not.toContain('\r');

    const db = openReadModelDatabase(config());
    try {
      expect(new Checkpoints(db).get('test-projection')).toMatchObject({ position: 120, status: 'live' });
      expect(dumpTestProjection(db).totals.length).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it("carries an old data dir's signed heads and key history over into read-models.sqlite before rebuilding, saying so on stderr", async () => {
    rmSync(dataDir, { recursive: true, force: true });
    copyPreviousReleaseDataDir(readPreviousReleaseManifest('f330f65-before-sealing'), dataDir);

    expect(await runCli(['rebuild'], io, command())).toBe(0);

    expect(err.join('')).toContain(
      'carried over from ledger.sqlite into read-models.sqlite: 2 rows of tree_heads, 1 row of log_keys, 0 rows of checkpoint_cosignatures',
    );
    const db = openReadModelDatabase(config());
    try {
      expect(db.prepare('SELECT tree_size FROM tree_heads ORDER BY seq').all()).toEqual([{ tree_size: 0 }, { tree_size: 20 }]);
      expect(new Checkpoints(db).get('test-projection')).toMatchObject({ position: 20, status: 'live' });
    } finally {
      db.close();
    }
  });

  it('draws a bar in place on a terminal', async () => {
    expect(await runCli(['rebuild', '--batch-size', '10'], io, command({ tty: true }))).toBe(0);
    const progress = err.join('');
    expect(progress).toContain('\r\x1b[2K[');
    // eslint-disable-next-line no-control-regex -- the progress bar redraws with ESC [2K
    expect(progress).toMatch(/\r\x1b\[2K\[█+░*\] +\d+\.\d% {2}\d+\/120 events {2}\d+ events\/s {2}ETA \d+:\d\d/);
    expect(progress).toMatch(/\[█{28}\] 100\.0% {2}120\/120 events {2}\d+ events\/s {2}done\n$/);
  });

  it('refuses while a server writes the read models, and changes nothing', async () => {
    const db = openReadModelDatabase(config());
    const store = SqliteEventStore.open({ filename: join(dataDir, 'ledger.sqlite'), clock: systemClock });
    const server = new Projector(db, store, [createTestProjection()]);
    await server.start();
    try {
      await server.waitForPosition(120, 5000);
      expect(await runCli(['rebuild', '--restart'], io, command())).toBe(1);
      expect(err.join('')).toMatch(
        new RegExp(
          `^seizure-ledger rebuild: the read models are being written by a server \\(pid ${process.pid} on .+, last heartbeat \\d+\\.\\d s ago\\); stop it first`,
          'm',
        ),
      );
      expect(new Checkpoints(db).get('test-projection')).toMatchObject({ position: 120, status: 'live' });
    } finally {
      await server.stop();
      db.close();
      await store.close();
    }
  });

  it('takes over the lock of a server that was killed', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const db = openReadModelDatabase(config());
    db.prepare(`INSERT INTO projector_lock VALUES (1, 'dead-server', 'server', ?, ?, '2024-04-20T06:00:00.000Z', ?)`).run(
      gone,
      hostname(),
      Date.now(),
    );
    db.close();
    expect(await runCli(['rebuild'], io, command())).toBe(0);
    const after = openReadModelDatabase(config());
    expect(after.prepare('SELECT count(*) AS n FROM projector_lock').get()).toEqual({ n: 0 });
    after.close();
  });

  it('rebuilds only the read models named', async () => {
    const a = createTestProjection({ name: 'model-a' });
    const b = createTestProjection({ name: 'model-b' });
    expect(await runCli(['rebuild', '--projection', 'model-b'], io, command({ projections: [a, b] }))).toBe(0);
    const db = openReadModelDatabase(config());
    try {
      expect(new Checkpoints(db).get('model-a')).toBeUndefined();
      expect(new Checkpoints(db).get('model-b')).toMatchObject({ position: 120, status: 'live' });
    } finally {
      db.close();
    }
  });

  it('says what is wrong with the command line (exit 2)', async () => {
    expect(await runCli(['rebuild', '--batch-size', '0'], io, command())).toBe(2);
    expect(err.join('')).toContain('--batch-size must be an integer from 1 to 10000 (got "0")');
    err = [];
    expect(await runCli(['rebuild', '--projection', 'nope'], io, command())).toBe(2);
    expect(err.join('')).toContain('unknown read model "nope"; known: test-projection');
    expect(await runCli(['rebuild', '--bogus'], io, command())).toBe(2);
  });

  it('runs as the installed command does, over the registered read models', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [...FROM_SOURCES, 'src/cli/main.ts', 'rebuild', ...args], {
        cwd: projectRoot,
        env: { ...process.env, LEDGER_DATA_DIR: dataDir },
        encoding: 'utf8',
      });
    const ok = run(['--batch-size', '25']);
    expect(ok.stderr).toContain('rebuild: 100.0%, 120/120 events');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^rebuilt live-feed-scope(, [a-z-]+)*: 120 events read, up to position 120\n$/);
    expect(run(['--batch-size', 'x']).status).toBe(2);
  });
});
