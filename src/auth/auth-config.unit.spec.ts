import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  AuthConfig,
  AuthConfigError,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  GENERATED_SECRET_FILE,
  loadAuthConfig,
  secretAuthConfig,
} from './auth-config';
import { TEST_JWT_SECRET, testToken } from './auth.test-support';
import { TokenVerifier } from './token-verifier';

const publicPem = (pair: { publicKey: { export(o: { type: 'spki'; format: 'pem' }): string | Buffer } }): string =>
  pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const ed25519 = generateKeyPairSync('ed25519');

describe('loadAuthConfig', () => {
  let root: string;
  let logged: string[];
  const log = (msg: string): void => {
    logged.push(msg);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-auth-config-'));
    logged = [];
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const load = (env: NodeJS.ProcessEnv, dataDir = join(root, 'data')): AuthConfig => loadAuthConfig(env, dataDir, log);

  /** The config error for an environment that must be rejected. */
  function errorFor(env: NodeJS.ProcessEnv): AuthConfigError {
    try {
      load(env);
    } catch (error) {
      if (error instanceof AuthConfigError) return error;
      throw error;
    }
    throw new Error('expected an AuthConfigError');
  }

  const variablesOf = (error: AuthConfigError): string[] => error.problems.map((p) => p.variable);

  describe('with JWT_SECRET', () => {
    it('applies the defaults and uses HS256 only', () => {
      const config = load({ JWT_SECRET: TEST_JWT_SECRET });

      expect(config).toMatchObject({
        issuer: 'seizure-custody-ledger',
        audience: 'seizure-custody-ledger',
        clockToleranceSeconds: DEFAULT_CLOCK_TOLERANCE_SECONDS,
        key: { kind: 'secret', algorithms: ['HS256'], source: 'JWT_SECRET' },
      });
      expect(config.key.key.type).toBe('secret');
      expect(Object.isFrozen(config)).toBe(true);
      expect(logged).toEqual([]);
    });

    it('reads issuer, audience and clock tolerance', () => {
      const config = load({
        JWT_SECRET: TEST_JWT_SECRET,
        JWT_ISSUER: 'https://idp.example/realms/eci',
        JWT_AUDIENCE: 'ledger-api',
        JWT_CLOCK_TOLERANCE_SECONDS: '300',
      });

      expect(config).toMatchObject({ issuer: 'https://idp.example/realms/eci', audience: 'ledger-api', clockToleranceSeconds: 300 });
    });

    it('treats empty and blank values as unset', () => {
      const config = load({
        JWT_SECRET: TEST_JWT_SECRET,
        JWT_PUBLIC_KEY: '',
        JWT_PUBLIC_KEY_FILE: ' ',
        JWT_ALGORITHMS: '',
        JWT_ISSUER: '',
        JWT_AUDIENCE: '',
        JWT_CLOCK_TOLERANCE_SECONDS: '',
      });

      expect(config.key.kind).toBe('secret');
      expect(config.issuer).toBe('seizure-custody-ledger');
      expect(config.clockToleranceSeconds).toBe(DEFAULT_CLOCK_TOLERANCE_SECONDS);
    });

    it('refuses a secret shorter than 32 bytes without echoing it', () => {
      const error = errorFor({ JWT_SECRET: 'hunter2-hunter2-hunter2' });

      expect(variablesOf(error)).toEqual(['JWT_SECRET']);
      expect(error.message).toMatch(/at least 32 bytes/);
      expect(error.message).not.toContain('hunter2');
    });

    it('counts bytes, not characters', () => {
      // 11 characters of 3 bytes each in UTF-8: 33 bytes.
      expect(load({ JWT_SECRET: 'स'.repeat(11) }).key.kind).toBe('secret');
    });

    it('accepts JWT_ALGORITHMS=HS256 and refuses any other algorithm with a secret', () => {
      expect(load({ JWT_SECRET: TEST_JWT_SECRET, JWT_ALGORITHMS: 'HS256' }).key.algorithms).toEqual(['HS256']);
      expect(variablesOf(errorFor({ JWT_SECRET: TEST_JWT_SECRET, JWT_ALGORITHMS: 'HS256,RS256' }))).toEqual(['JWT_ALGORITHMS']);
      expect(variablesOf(errorFor({ JWT_SECRET: TEST_JWT_SECRET, JWT_ALGORITHMS: 'none' }))).toEqual(['JWT_ALGORITHMS']);
    });

    it('keeps the secret out of JSON and inspection output', () => {
      const config = load({ JWT_SECRET: TEST_JWT_SECRET });

      expect(JSON.stringify(config)).not.toContain(TEST_JWT_SECRET);
      expect(inspect(config, { depth: 10 })).not.toContain(TEST_JWT_SECRET);
    });
  });

  describe('invalid values', () => {
    it.each([
      ['-1', /integer from 0 to 300/],
      ['301', /integer from 0 to 300/],
      ['1.5', /integer from 0 to 300/],
      ['soon', /\(got "soon"\)/],
    ])('refuses JWT_CLOCK_TOLERANCE_SECONDS=%s', (value, reason) => {
      const error = errorFor({ JWT_SECRET: TEST_JWT_SECRET, JWT_CLOCK_TOLERANCE_SECONDS: value });

      expect(error.problems).toEqual([{ variable: 'JWT_CLOCK_TOLERANCE_SECONDS', reason: expect.stringMatching(reason) }]);
    });

    it('refuses an issuer or audience with spaces', () => {
      const error = errorFor({ JWT_SECRET: TEST_JWT_SECRET, JWT_ISSUER: 'my issuer', JWT_AUDIENCE: 'the ledger' });

      expect(variablesOf(error).sort()).toEqual(['JWT_AUDIENCE', 'JWT_ISSUER']);
    });

    it('names every bad variable at once', () => {
      const error = errorFor({ JWT_SECRET: 'short', JWT_CLOCK_TOLERANCE_SECONDS: '900', JWT_ISSUER: 'a b' });

      expect(variablesOf(error).sort()).toEqual(['JWT_CLOCK_TOLERANCE_SECONDS', 'JWT_ISSUER', 'JWT_SECRET']);
      expect(error.message).toMatch(/^Invalid configuration:\n {2}JWT_/);
    });

    it('reports a bad public key together with the other bad variables', () => {
      const error = errorFor({ JWT_PUBLIC_KEY: 'not a key', JWT_CLOCK_TOLERANCE_SECONDS: '900' });

      expect(variablesOf(error).sort()).toEqual(['JWT_CLOCK_TOLERANCE_SECONDS', 'JWT_PUBLIC_KEY']);
    });

    it('generates no secret file when another variable is bad', () => {
      errorFor({ JWT_ISSUER: 'a b' });

      expect(readdirSync(root)).toEqual([]);
    });

    it('refuses a secret together with a public key', () => {
      const error = errorFor({ JWT_SECRET: TEST_JWT_SECRET, JWT_PUBLIC_KEY: publicPem(rsa) });

      expect(error.problems).toEqual([{ variable: 'JWT_SECRET', reason: expect.stringMatching(/not both/) }]);
    });

    it('refuses JWT_PUBLIC_KEY together with JWT_PUBLIC_KEY_FILE', () => {
      const file = join(root, 'idp.pem');
      writeFileSync(file, publicPem(rsa));

      const error = errorFor({ JWT_PUBLIC_KEY: publicPem(rsa), JWT_PUBLIC_KEY_FILE: file });

      expect(error.problems).toEqual([{ variable: 'JWT_PUBLIC_KEY', reason: expect.stringMatching(/not both/) }]);
    });
  });

  describe('with a public key', () => {
    it('derives RS256 from an RSA key', () => {
      const config = load({ JWT_PUBLIC_KEY: publicPem(rsa) });

      expect(config.key).toMatchObject({ kind: 'public-key', algorithms: ['RS256'], source: 'JWT_PUBLIC_KEY' });
      expect(config.key.key.type).toBe('public');
    });

    it('derives ES256 from a P-256 key, ES384 from a P-384 key and EdDSA from an Ed25519 key', () => {
      expect(load({ JWT_PUBLIC_KEY: publicPem(p256) }).key.algorithms).toEqual(['ES256']);
      expect(load({ JWT_PUBLIC_KEY: publicPem(p384) }).key.algorithms).toEqual(['ES384']);
      expect(load({ JWT_PUBLIC_KEY: publicPem(ed25519) }).key.algorithms).toEqual(['EdDSA']);
    });

    it('accepts a PEM written on one line with literal \\n separators', () => {
      const oneLine = publicPem(rsa).replace(/\n/g, '\\n');

      expect(load({ JWT_PUBLIC_KEY: oneLine }).key.algorithms).toEqual(['RS256']);
    });

    it('reads JWT_PUBLIC_KEY_FILE', () => {
      const file = join(root, 'idp.pem');
      writeFileSync(file, publicPem(p256));

      expect(load({ JWT_PUBLIC_KEY_FILE: file }).key).toMatchObject({ algorithms: ['ES256'], source: `file ${file}` });
    });

    it('reports an unreadable JWT_PUBLIC_KEY_FILE', () => {
      const error = errorFor({ JWT_PUBLIC_KEY_FILE: join(root, 'missing.pem') });

      expect(error.problems).toEqual([{ variable: 'JWT_PUBLIC_KEY_FILE', reason: expect.stringMatching(/ENOENT/) }]);
    });

    it('honours JWT_ALGORITHMS when the key type allows every listed algorithm', () => {
      expect(load({ JWT_PUBLIC_KEY: publicPem(rsa), JWT_ALGORITHMS: 'RS256, PS256' }).key.algorithms).toEqual(['RS256', 'PS256']);
    });

    it.each([
      ['HS256', publicPem(rsa)],
      ['none', publicPem(rsa)],
      ['ES256', publicPem(rsa)],
      ['ES256', publicPem(p384)],
      ['RS256', publicPem(ed25519)],
    ])('refuses JWT_ALGORITHMS=%s for the key', (algorithms, pem) => {
      const error = errorFor({ JWT_PUBLIC_KEY: pem, JWT_ALGORITHMS: algorithms });

      expect(error.problems).toEqual([{ variable: 'JWT_ALGORITHMS', reason: expect.stringMatching(/cannot be used .* allowed: /) }]);
    });

    it('refuses a private key without echoing it', () => {
      const privatePem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

      const error = errorFor({ JWT_PUBLIC_KEY: privatePem });

      expect(error.problems).toEqual([{ variable: 'JWT_PUBLIC_KEY', reason: expect.stringMatching(/private key/) }]);
      expect(error.message).not.toContain(privatePem.split('\n')[1]);
    });

    it('refuses text that is not a PEM key', () => {
      expect(errorFor({ JWT_PUBLIC_KEY: 'not a key' }).problems[0].reason).toMatch(/PEM-encoded public key/);
      expect(errorFor({ JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }).problems[0].reason).toMatch(
        /not a valid PEM/,
      );
    });

    it('refuses an RSA key shorter than 2048 bits', () => {
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });

      expect(errorFor({ JWT_PUBLIC_KEY: publicPem(weak) }).problems[0].reason).toMatch(/1024-bit RSA key; at least 2048/);
    });

    it('refuses key types that cannot sign JWTs', () => {
      const x25519 = generateKeyPairSync('x25519');

      expect(errorFor({ JWT_PUBLIC_KEY: publicPem(x25519) }).problems[0].reason).toMatch(/x25519 key/);
    });
  });

  describe('with no key configured', () => {
    const secretFile = (): string => join(root, 'data', GENERATED_SECRET_FILE);

    it('generates a 256-bit secret into <dataDir>/jwt-secret with mode 0600, creating the directory', () => {
      const config = load({});

      const secret = readFileSync(secretFile(), 'utf8').trim();
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
      expect(statSync(secretFile()).mode & 0o777).toBe(0o600);
      expect(statSync(join(root, 'data')).mode & 0o777).toBe(0o700);
      expect(config.key).toMatchObject({ kind: 'secret', algorithms: ['HS256'], source: `file ${secretFile()}` });
      // Written through a temporary file, which is gone afterwards.
      expect(readdirSync(join(root, 'data'))).toEqual([GENERATED_SECRET_FILE]);
    });

    it('logs that it generated the secret and where, but never the secret', () => {
      load({});

      const secret = readFileSync(secretFile(), 'utf8').trim();
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain(secretFile());
      expect(logged[0]).not.toContain(secret);
    });

    it('reuses the secret on later starts, so earlier tokens stay valid', () => {
      const first = load({});
      const token = testToken({}, { config: first });

      const second = load({});

      expect(logged).toHaveLength(1);
      expect(new TokenVerifier(second).verify(token).sub).toBe('u-17');
    });

    it('refuses a secret file that other users can read', () => {
      load({});
      chmodSync(secretFile(), 0o644);

      const error = errorFor({});

      expect(error.problems).toEqual([{ variable: 'JWT_SECRET', reason: expect.stringMatching(/mode 0644.*chmod 600/) }]);
    });

    it('refuses a secret file that is too short instead of silently replacing it', () => {
      load({});
      writeFileSync(secretFile(), 'short\n', { mode: 0o600 });

      expect(errorFor({}).problems[0].reason).toMatch(/fewer than 32 bytes; delete it/);
    });

    it('reports a data directory it cannot create', () => {
      writeFileSync(join(root, 'plain-file'), 'not a directory');

      const error = (() => {
        try {
          loadAuthConfig({}, join(root, 'plain-file', 'data'), log);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();

      expect(error).toBeInstanceOf(AuthConfigError);
      expect((error as AuthConfigError).problems).toEqual([
        { variable: 'JWT_SECRET', reason: expect.stringMatching(/cannot be read or written \(ENOTDIR\)/) },
      ]);
    });
  });
});

describe('secretAuthConfig', () => {
  it('builds an HS256 configuration from a known secret', () => {
    expect(secretAuthConfig(TEST_JWT_SECRET, { audience: 'other' })).toMatchObject({
      issuer: 'seizure-custody-ledger',
      audience: 'other',
      key: { kind: 'secret', algorithms: ['HS256'] },
    });
  });

  it('refuses a short secret', () => {
    expect(() => secretAuthConfig('too short')).toThrow(AuthConfigError);
  });
});
