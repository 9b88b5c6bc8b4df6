import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { secretAuthConfig } from '../../src/auth/auth-config';
import { testToken } from '../../src/auth/auth.test-support';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { freePort, startServerProcess, waitForHealth, type ServerProcess } from '../support/server-process';

/** Starting Nest from the sources takes a few seconds; give each test ample room. */
jest.setTimeout(90_000);

/**
 * Modes are judged by their bits, never by trying to read as another user: tests may run as root,
 * which reads any file whatever its mode.
 */
function modesUnder(dir: string): Record<string, string> {
  const modes: Record<string, string> = {};
  const visit = (path: string): void => {
    const stats = lstatSync(path);
    modes[relative(dir, path) || '.'] = (stats.mode & 0o777).toString(8).padStart(4, '0');
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return modes;
}

describe('files at rest (e2e, server process)', () => {
  let root: string;
  const running: ServerProcess[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-files-'));
  });

  afterEach(async () => {
    // A failed assertion must not leave a server behind; stop only the processes this test started.
    for (const server of running.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    rmSync(root, { recursive: true, force: true });
  });

  const start = (env: Record<string, string>, options: { umask?: string } = {}): ServerProcess => {
    const server = startServerProcess(env, options);
    running.push(server);
    return server;
  };

  it('under umask 000 keeps the data dir 0700 and every file it creates 0600 (attachments 0400), listening on 127.0.0.1', async () => {
    const port = await freePort();
    const dataDir = join(root, 'data');
    const server = start({ PORT: String(port), LEDGER_DATA_DIR: dataDir }, { umask: '000' });
    const base = `http://127.0.0.1:${port}`;
    expect((await waitForHealth(`${base}/health`, server, 60_000)).status).toBe(200);
    expect(server.output().stdout).toContain(`listening on http://127.0.0.1:${port}`);

    // Write through every store: ledger and read models, idempotency, attachments.
    const config = secretAuthConfig(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim());
    const authorization = `Bearer ${testToken(actors.flyingSquad, { config })}`;
    const seizureId = randomUUID();
    const recorded = await fetch(`${base}/seizures`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(recordSeizureCommand({ seizureId }).data),
    });
    expect(recorded.status).toBe(201);
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2_000, 7)]);
    const uploaded = await fetch(`${base}/seizures/${seizureId}/attachments?fileName=seal.jpg`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'image/jpeg' },
      body: photo,
    });
    expect(uploaded.status).toBe(200);

    const modes = modesUnder(dataDir);
    const sha256 = createHash('sha256').update(photo).digest('hex');
    // Named explicitly so that a file silently missing cannot make the blanket check below pass.
    expect(modes).toMatchObject({
      '.': '0700',
      'ledger.sqlite': '0600',
      'ledger.sqlite-wal': '0600',
      'ledger.sqlite-shm': '0600',
      'read-models.sqlite': '0600',
      'read-models.sqlite-wal': '0600',
      'read-models.sqlite-shm': '0600',
      'idempotency.sqlite': '0600',
      'idempotency.sqlite-wal': '0600',
      'evidence-bundles.sqlite': '0600',
      'idempotency.sqlite-shm': '0600',
      'jwt-secret': '0600',
      'idempotency-secret': '0600',
      'evidence-signing-key.pem': '0600',
      attachments: '0700',
      [join('attachments', sha256.slice(0, 2), sha256.slice(2, 4), sha256)]: '0400',
    });
    for (const [path, mode] of Object.entries(modes)) {
      expect({ path, groupOrOthers: Number.parseInt(mode, 8) & 0o077 }).toEqual({ path, groupOrOthers: 0 });
    }
  });

  it('tightens the files of a data dir made by an earlier release, logging each change', async () => {
    const dataDir = join(root, 'old');
    mkdirSync(join(dataDir, 'attachments', 'ab', 'cd'), { recursive: true });
    const planted = {
      'ledger.sqlite': 0o644,
      'idempotency.sqlite': 0o644,
      [join('attachments', 'ab', 'cd', 'abcd-old-photo')]: 0o440,
    };
    for (const [name, mode] of Object.entries(planted)) {
      writeFileSync(join(dataDir, name), '');
      chmodSync(join(dataDir, name), mode);
    }
    for (const dir of ['.', 'attachments', join('attachments', 'ab'), join('attachments', 'ab', 'cd')])
      chmodSync(join(dataDir, dir), 0o755);
    const port = await freePort();
    const server = start({ PORT: String(port), LEDGER_DATA_DIR: dataDir });

    expect((await waitForHealth(`http://127.0.0.1:${port}/health`, server, 60_000)).status).toBe(200);

    const { stdout } = server.output();
    expect(stdout).toContain(`tightened the mode of ${dataDir} from 0755 to 0700`);
    expect(stdout).toContain(`tightened the mode of ${join(dataDir, 'ledger.sqlite')} from 0644 to 0600`);
    expect(stdout).toContain(`tightened the mode of ${join(dataDir, 'idempotency.sqlite')} from 0644 to 0600`);
    expect(stdout).toContain(`tightened the mode of ${join(dataDir, 'attachments', 'ab', 'cd', 'abcd-old-photo')} from 0440 to 0400`);
    expect(stdout).toContain(`tightened the mode of ${join(dataDir, 'attachments', 'ab')} from 0755 to 0700`);
    const modes = modesUnder(dataDir);
    expect(modes).toMatchObject({
      '.': '0700',
      'ledger.sqlite': '0600',
      'ledger.sqlite-wal': '0600',
      'ledger.sqlite-shm': '0600',
      'read-models.sqlite': '0600',
      'read-models.sqlite-wal': '0600',
      'read-models.sqlite-shm': '0600',
    });
    for (const [path, mode] of Object.entries(modes)) {
      expect({ path, groupOrOthers: Number.parseInt(mode, 8) & 0o077 }).toEqual({ path, groupOrOthers: 0 });
    }
  });

  const expectRefusal = async (server: ServerProcess, message: string): Promise<void> => {
    const { code } = await server.exited;
    const { stderr } = server.output();
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/^\s+at /m);
  };

  it('refuses a data dir that group or others can write, naming the chmod that fixes it', async () => {
    const dataDir = join(root, 'open');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o777);

    const server = start({ LEDGER_DATA_DIR: dataDir });

    await expectRefusal(server, `LEDGER_DATA_DIR: ${dataDir} is writable by group and others (mode 0777); run: chmod 700 ${dataDir}`);
    expect(modesUnder(dataDir)).toEqual({ '.': '0777' });
  });

  it('refuses an evidence signing key in the data dir that others can read, and leaves its mode alone', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const key = join(dataDir, 'evidence-signing-key.pem');
    writeFileSync(key, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    chmodSync(key, 0o644);

    const server = start({ LEDGER_DATA_DIR: dataDir });

    await expectRefusal(server, `evidence signing key ${key} is readable by group and others (mode 0644); run: chmod 600 ${key}`);
    expect(lstatSync(key).mode & 0o777).toBe(0o644);
  });

  it('refuses an EVIDENCE_SIGNING_KEY_FILE that group can read', async () => {
    const key = join(root, 'log-key.pem');
    writeFileSync(key, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    chmodSync(key, 0o640);

    const server = start({ LEDGER_DATA_DIR: join(root, 'data'), EVIDENCE_SIGNING_KEY_FILE: key });

    await expectRefusal(
      server,
      `EVIDENCE_SIGNING_KEY_FILE: evidence signing key ${key} is readable by group (mode 0640); run: chmod 600 ${key}`,
    );
  });

  it('refuses a generated JWT secret that others can read', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o700 });
    const secret = join(dataDir, 'jwt-secret');
    writeFileSync(secret, `${'s'.repeat(48)}\n`);
    chmodSync(secret, 0o604);

    const server = start({ LEDGER_DATA_DIR: dataDir });

    await expectRefusal(server, `JWT_SECRET: JWT secret ${secret} is readable by others (mode 0604); run: chmod 600 ${secret}`);
  });
});
