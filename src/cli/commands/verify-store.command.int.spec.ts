import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import { systemClock } from '../../shared/clock';
import type { CliIo } from '../cli-command';
import { verifyStoreCommand } from './verify-store.command';
import { FROM_SOURCES } from '../../../test/support/cli-process';
import { copyPreviousReleaseDataDir, readPreviousReleaseManifest } from '../../../test/support/previous-release-data-dir';

const projectRoot = resolve(__dirname, '../../..');

describe('verify-store command (real SQLite file)', () => {
  let dataDir: string;
  let out: string[];
  let err: string[];
  let io: CliIo;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-verify-cli-'));
    out = [];
    err = [];
    io = { env: { LEDGER_DATA_DIR: dataDir }, cwd: projectRoot, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
    const store = SqliteEventStore.open({ filename: join(dataDir, 'ledger.sqlite'), clock: systemClock });
    for (const stream of ['seizure-a', 'seizure-b']) {
      await store.appendToStream(
        stream,
        Array.from({ length: 3 }, (_, i) => ({ id: randomUUID(), type: 'Counted', data: { i } })),
      );
    }
    await store.close();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says OK and exits 0 for an intact store', async () => {
    expect(await verifyStoreCommand.run([], io)).toBe(0);
    const lines = out.join('\n').split('\n');
    expect(lines[0]).toMatch(/^chain: OK — 6 events in 2 streams hash-linked \(sqlite store\)\. /);
    expect(lines[1]).toMatch(/^heads in data dir: none — /);
    expect(lines[2]).toMatch(/^outside heads: none — /);
    expect(lines[3]).toBe('OK: sqlite store: every check holds');
  });

  it('names the altered event and exits 1; --json gives the full result', async () => {
    const raw = new BetterSqlite3(join(dataDir, 'ledger.sqlite'));
    raw.exec('DROP TRIGGER events_refuse_update');
    raw.prepare(`UPDATE events SET data = '{"i":7}' WHERE global_position = 5`).run();
    raw.close();

    expect(await verifyStoreCommand.run([], io)).toBe(1);
    expect(out[0]).toMatch(
      /^chain: BROKEN — 6 events in 2 streams checked \(sqlite store\), 1 problem\n {2}ALTERED at stream seizure-b, revision 1, position 5: content does not match its hash/,
    );
    expect(out[0]).toMatch(/\nBROKEN: sqlite store: the hash chain failed$/);

    out = [];
    expect(await verifyStoreCommand.run(['--stream', 'seizure-a', '--json'], io)).toBe(0);
    expect(JSON.parse(out[0])).toMatchObject({ ok: true, eventsChecked: 3, streamsChecked: 1 });
  });

  it('checks the heads a release before read-models.sqlite left in ledger.sqlite, before any server of this release ran, creating no file', async () => {
    rmSync(dataDir, { recursive: true, force: true });
    copyPreviousReleaseDataDir(readPreviousReleaseManifest('f330f65-before-sealing'), dataDir);

    expect(await verifyStoreCommand.run([], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^heads in data dir: OK — 2 heads checked/m);
    expect(existsSync(join(dataDir, 'read-models.sqlite'))).toBe(false);
  });

  it('runs as the installed command does, with exit codes a script can use', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [...FROM_SOURCES, 'src/cli/main.ts', 'verify-store', ...args], {
        cwd: projectRoot,
        env: { ...process.env, LEDGER_DATA_DIR: dataDir },
        encoding: 'utf8',
      });
    const ok = run([]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('OK: sqlite store');
    expect(run(['--bogus']).status).toBe(2);
    expect(run(['--stream', 'seizure-a', '--head', 'kept.json']).status).toBe(2);
  });
});
