import { FROM_SOURCES, runCli } from '../support/cli-process';
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogSigningKey } from '../../src/evidence/tree-heads/signing-key';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { PROJECT_ROOT, watch, type ServerProcess } from '../support/server-process';

// Each spawn starts Node on the sources (the first transpiles them): allow for a loaded machine.
jest.setTimeout(120_000);

const ORIGIN = 'ledger.e2e.example/seizures';

interface SpawnedWitness {
  process: ServerProcess;
  verifierKey: string;
  url: string;
}

/** Runs the real `seizure-ledger witness` command and reads its verifier key (stdout) and address (stderr). */
async function spawnWitness(stateDir: string, name: string, logKey: string): Promise<SpawnedWitness> {
  const child = spawn(
    process.execPath,
    [...FROM_SOURCES, 'src/cli/main.ts', 'witness', '--state-dir', stateDir, '--name', name, '--log-key', logKey, '--port', '0'],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const watched = watch(child);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { stdout, stderr } = watched.output();
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
    if (url !== undefined) return { process: watched, verifierKey: stdout.split('\n')[0], url };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the witness did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const cli = runCli;

/**
 * Two witnesses run as their own processes (the real command); the ledger submits each checkpoint
 * to both, issues a bundle only once both cosigned, and the bundle verifies offline with the two
 * witness keys and a quorum of 2. With one witness unreachable, the bundle request answers 503.
 */
describe('witness cosigning (e2e: two witness processes, quorum 2)', () => {
  let dir: string;
  let keyFile: string;
  let logKey: string;
  let a: SpawnedWitness;
  let b: SpawnedWitness;
  const apps: E2eApp[] = [];

  const appWith = async (witnesses: { name: string; url: string; verifierKey: string }[], env: Record<string, string> = {}) => {
    const config = join(dir, `witnesses-${apps.length}.json`);
    writeFileSync(config, JSON.stringify({ witnesses }));
    const app = await startE2eApp({
      env: { TREE_HEAD_INTERVAL_SECONDS: '1', EVIDENCE_SIGNING_KEY_FILE: keyFile, LOG_ORIGIN: ORIGIN, WITNESS_CONFIG_FILE: config, ...env },
    });
    apps.push(app);
    return app;
  };
  const record = async (app: E2eApp): Promise<string> => {
    const seizureId = randomUUID();
    await app
      .http()
      .post('/seizures')
      .set('Authorization', `Bearer ${app.tokenFor(actors.flyingSquad)}`)
      .send(recordSeizureCommand({ seizureId }).data)
      .expect(201);
    return seizureId;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'witnesses-e2e-'));
    keyFile = join(dir, 'log-key.pem');
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    writeFileSync(keyFile, pem, { mode: 0o600 });
    logKey = LogSigningKey.fromPem(pem).noteVerifierKey(ORIGIN);
    [a, b] = await Promise.all([
      spawnWitness(join(dir, 'ceo'), 'witness.ceo-up.example', logKey),
      spawnWitness(join(dir, 'court'), 'witness.court-varanasi.example', logKey),
    ]);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const w of [a, b]) {
      w?.process.child.kill('SIGTERM');
      if (w) await w.process.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the same verifier key with `witness key`', () => {
    const r = cli('witness', 'key', '--state-dir', join(dir, 'ceo'));
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: `${a.verifierKey}\n` });
    expect(a.verifierKey).toMatch(/^witness\.ceo-up\.example\+[0-9a-f]{8}\+/);
  });

  it('issues a bundle both witnesses cosigned, which verifies with --witness a --witness b --witness-quorum 2', async () => {
    const app = await appWith([
      { name: 'witness.ceo-up.example', url: a.url, verifierKey: a.verifierKey },
      { name: 'witness.court-varanasi.example', url: b.url, verifierKey: b.verifierKey },
    ]);
    const published = await app.http().get('/evidence/witnesses').expect(200);
    expect(published.body).toEqual({
      witnesses: [
        { name: 'witness.ceo-up.example', verifierKey: a.verifierKey },
        { name: 'witness.court-varanasi.example', verifierKey: b.verifierKey },
      ],
      witnessQuorum: 2,
    });
    const seizureId = await record(app);
    const response = await app
      .http()
      .get(`/seizures/${seizureId}/evidence`)
      .set('Authorization', `Bearer ${app.tokenFor(actors.court)}`)
      .expect(200);
    expect(response.body.format).toBe('seizure-ledger-evidence/2');
    expect(response.body.checkpoint.origin).toBe(ORIGIN);
    expect(response.body.checkpoint.note).toMatch(/\n\u2014 witness\.ceo-up\.example /);
    expect(response.body.checkpoint.note).toMatch(/\n\u2014 witness\.court-varanasi\.example /);

    const file = join(dir, 'bundle.json');
    writeFileSync(file, JSON.stringify(response.body));
    const publicKey = (await app.http().get('/evidence/public-key').expect(200)).body.publicKey as string;
    const ok = cli(
      'verify',
      file,
      '--public-key',
      publicKey,
      '--witness',
      a.verifierKey,
      '--witness',
      b.verifierKey,
      '--witness-quorum',
      '2',
    );
    expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: '' });
    // In the order the cosignatures arrived, which either witness may win.
    const line = ok.stdout.split('\n').find((l) => l.startsWith('✓ witness-cosignatures: cosigned by ')) ?? '';
    expect(line).toMatch(/witness\.ceo-up\.example at \S+Z/);
    expect(line).toMatch(/witness\.court-varanasi\.example at \S+Z/);
    expect(line).toMatch(/\(2 of 2 given, quorum 2\)$/);
    expect(ok.stdout).toMatch(/VERIFIED: .* cosigned by witness\.\S+ and witness\.\S+ \(quorum 2\)\./);

    // A verifier who trusts only a witness that did not cosign: the bundle's cosignatures count for nothing.
    const stranger = cli('witness', 'key', '--state-dir', join(dir, 'stranger'), '--name', 'witness.party-agent.example');
    const trust = join(dir, 'trust.json');
    writeFileSync(
      trust,
      JSON.stringify({ witnesses: [{ name: 'witness.party-agent.example', verifierKey: stranger.stdout.trim() }], witnessQuorum: 1 }),
    );
    const refused = cli('verify', file, '--public-key', publicKey, '--trust', trust);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/unknown witness witness\.ceo-up\.example\+[0-9a-f]{8}, not counted/);
  });

  it('answers 503 awaiting-witnesses with Retry-After when the quorum cannot be met in WITNESS_TIMEOUT_MS', async () => {
    const app = await appWith(
      [
        { name: 'witness.ceo-up.example', url: a.url, verifierKey: a.verifierKey },
        { name: 'witness.court-varanasi.example', url: 'http://127.0.0.1:9', verifierKey: b.verifierKey },
      ],
      { WITNESS_TIMEOUT_MS: '300' },
    );
    const seizureId = await record(app);
    const response = await app
      .http()
      .get(`/seizures/${seizureId}/evidence`)
      .set('Authorization', `Bearer ${app.tokenFor(actors.court)}`)
      .expect(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.body).toMatchObject({ type: expect.stringMatching(/awaiting-witnesses$/), title: 'Awaiting witness cosignatures' });
    // Signing went on regardless: a head covers the seizure.
    expect((await app.http().get('/evidence/tree-heads/latest').expect(200)).body.treeSize).toBeGreaterThan(0);
  });
});
