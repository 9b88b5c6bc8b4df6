import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GENERATED_SECRET_FILE, loadAuthConfig, secretAuthConfig } from '../../auth/auth-config';
import { TEST_JWT_SECRET } from '../../auth/auth.test-support';
import { TokenVerifier } from '../../auth/token-verifier';
import { CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../cli-command';
import { runCli } from '../main';
import { parseDuration } from './token.command';
import { FROM_SOURCES } from '../../../test/support/cli-process';

const REPO_ROOT = resolve(__dirname, '../../..');
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const ASHA = [
  '--sub',
  'u-17',
  '--name',
  'Asha Verma',
  '--roles',
  'officer,custodian',
  '--unit',
  'FS-VNS-03',
  '--agency',
  'flying_squad',
  '--states',
  'UP',
  '--districts',
  'UP-VNS',
];

/** The test runner's environment without any JWT_* setting that would change the outcome. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('JWT_')));
  return { ...env, ...extra };
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as the package script does, in a real process. */
function cli(args: string[], env: NodeJS.ProcessEnv): Run {
  const result = spawnSync(process.execPath, [...FROM_SOURCES, 'src/cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const decodePayload = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

describe('token command', () => {
  let root: string;
  let dataDir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
    dataDir = join(root, 'data');
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  describe('as a process', () => {
    jest.setTimeout(120_000);

    it('prints only a token that verifies, generating the secret on first use and reusing it after', () => {
      const first = cli(['token', ...ASHA, '--ttl', '8h'], { LEDGER_DATA_DIR: dataDir });

      expect(first.status).toBe(EXIT_OK);
      expect(first.stdout).toMatch(/^[^\n]+\n$/);
      const token = first.stdout.trim();
      expect(token).toMatch(JWT);
      const secretFile = join(dataDir, GENERATED_SECRET_FILE);
      expect(statSync(secretFile).mode & 0o777).toBe(0o600);
      expect(first.stderr).toContain(secretFile);
      expect(first.stderr).not.toContain(readFileSync(secretFile, 'utf8').trim());

      const config = loadAuthConfig({}, dataDir, () => undefined);
      expect(new TokenVerifier(config).verify(token)).toEqual({
        sub: 'u-17',
        name: 'Asha Verma',
        roles: ['officer', 'custodian'],
        unit: 'FS-VNS-03',
        agency: 'flying_squad',
        scope: { national: false, states: ['UP'], districts: ['UP-VNS'] },
      });
      const { iat, exp } = decodePayload(token) as { iat: number; exp: number };
      expect(exp - iat).toBe(8 * 3600);

      const second = cli(['token', ...ASHA, '--ttl', '30m'], { LEDGER_DATA_DIR: dataDir });
      expect(second.status).toBe(EXIT_OK);
      expect(second.stderr).toBe('');
      expect(new TokenVerifier(config).verify(second.stdout.trim()).sub).toBe('u-17');
    });

    it('signs with JWT_SECRET when it is set', () => {
      const run = cli(['token', ...ASHA], { LEDGER_DATA_DIR: dataDir, JWT_SECRET: TEST_JWT_SECRET });

      expect(run.status).toBe(EXIT_OK);
      expect(new TokenVerifier(secretAuthConfig(TEST_JWT_SECRET)).verify(run.stdout.trim()).unit).toBe('FS-VNS-03');
      expect(existsSync(dataDir)).toBe(false);
    });

    it('exits 2 on a usage error, printing nothing on stdout and creating no secret', () => {
      const run = cli(['token', ...ASHA, '--roles', 'overlord'], { LEDGER_DATA_DIR: dataDir });

      expect(run.status).toBe(EXIT_USAGE);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/unknown role "overlord"/);
      expect(existsSync(dataDir)).toBe(false);
    });

    it('exits 1 when a public key is configured, since tokens then come from the identity provider', () => {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

      const run = cli(['token', ...ASHA], { LEDGER_DATA_DIR: dataDir, JWT_PUBLIC_KEY: pem });

      expect(run.status).toBe(EXIT_FAILURE);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/identity provider/);
    });

    it('lists the commands with --help', () => {
      const run = cli(['--help'], {});

      expect(run.status).toBe(EXIT_OK);
      expect(run.stdout).toMatch(/Commands:\n {2}token /);
    });
  });

  describe('arguments', () => {
    let out: string;
    let err: string;
    const io = (): CliIo => ({
      env: { LEDGER_DATA_DIR: dataDir },
      cwd: root,
      stdout: (text) => {
        out += text;
      },
      stderr: (text) => {
        err += text;
      },
    });

    beforeEach(() => {
      out = '';
      err = '';
    });

    it.each([
      ['an unknown option', ['--bogus'], /Unknown option '--bogus'/],
      ['a missing value', ['--sub'], /argument missing/],
      ['a positional argument', ['extra'], /Unexpected argument 'extra'/],
    ])('refuses %s', async (_case, extra, message) => {
      expect(await runCli(['token', ...ASHA, ...extra], io())).toBe(EXIT_USAGE);
      expect(err).toMatch(message);
      expect(out).toBe('');
    });

    it('names every missing option', async () => {
      expect(await runCli(['token', '--sub', 'u-17', '--national'], io())).toBe(EXIT_USAGE);
      expect(err).toMatch(/missing --name, --roles, --unit, --agency/);
    });

    it('requires exactly one kind of scope', async () => {
      const withoutScope = ASHA.slice(0, ASHA.indexOf('--states'));

      expect(await runCli(['token', ...withoutScope], io())).toBe(EXIT_USAGE);
      expect(err).toMatch(/give the scope/);
      expect(await runCli(['token', ...ASHA, '--national'], io())).toBe(EXIT_USAGE);
      expect(err).toMatch(/not both/);
    });

    it('names the options whose values are invalid', async () => {
      expect(await runCli(['token', ...ASHA, '--agency', 'cia', '--districts', 'up-vns'], io())).toBe(EXIT_USAGE);
      expect(err).toMatch(/unknown agency "cia"/);
      expect(err).toMatch(/--districts has an invalid code "up-vns"/);
    });

    it.each(['0', '31d', 'soon', '8 hours'])('refuses --ttl %s', async (ttl) => {
      expect(await runCli(['token', ...ASHA, '--ttl', ttl], io())).toBe(EXIT_USAGE);
      expect(err).toMatch(/--ttl must be a duration/);
    });

    it('accepts a national scope and repeated list options', async () => {
      const args = ['--sub', 'u-1', '--name', 'R. Iyer', '--roles', 'auditor', '--roles', 'court', '--unit', 'ECI-HQ'];

      expect(await runCli(['token', ...args, '--agency', 'election_office', '--national'], io())).toBe(EXIT_OK);
      const actor = new TokenVerifier(loadAuthConfig({}, dataDir, () => undefined)).verify(out.trim());
      expect(actor.roles).toEqual(['auditor', 'court']);
      expect(actor.scope).toEqual({ national: true });
    });

    it('prints its help on stdout', async () => {
      expect(await runCli(['token', '--help'], io())).toBe(EXIT_OK);
      expect(out).toMatch(/^Usage: seizure-ledger token/);
    });

    it('exits 2 without a command and for an unknown one', async () => {
      expect(await runCli([], io())).toBe(EXIT_USAGE);
      expect(await runCli(['rebuild-everything'], io())).toBe(EXIT_USAGE);
      expect(err).toMatch(/unknown command "rebuild-everything"/);
    });
  });

  describe('parseDuration', () => {
    it.each([
      ['3600', 3600],
      ['90s', 90],
      ['30m', 1800],
      ['8h', 28800],
      ['7d', 604800],
      ['8x', undefined],
      ['-5', undefined],
      ['', undefined],
    ])('%p → %p', (text, seconds) => {
      expect(parseDuration(text)).toBe(seconds);
    });
  });
});
