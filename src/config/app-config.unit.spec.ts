import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_IDEMPOTENCY_TTL_HOURS,
  DEFAULT_RATE_LIMIT_BURST_PER_SECOND,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  loadConfig,
} from './app-config';
import { DEFAULT_RETENTION } from './retention-settings';

describe('loadConfig', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-config-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** The config error for an environment that must be rejected. */
  function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
    try {
      loadConfig({ LEDGER_DATA_DIR: join(root, 'data'), ...env }, root);
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('expected a ConfigError');
  }

  describe('defaults', () => {
    it('applies every default when nothing is set, resolving the data dir against the working directory', () => {
      const config = loadConfig({}, root);

      expect(config).toEqual({
        auth: expect.objectContaining({ issuer: 'seizure-custody-ledger' }),
        port: 3000,
        host: '127.0.0.1',
        dataDir: join(root, 'data'),
        logLevel: 'log',
        projectorThread: 'worker',
        bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
        idempotencyTtlHours: 24,
        attachmentMaxBytes: 64 * 1024 * 1024,
        rateLimit: { perMinute: 600, burstPerSecond: 50 },
        trustProxy: false,
        evidence: { treeHeadIntervalSeconds: 5 },
        shutdownGraceMs: 5_000,
        personalData: {},
        retention: DEFAULT_RETENTION,
      });
      expect(config.eventStoreConnectionString).toBeUndefined();
    });

    it('treats empty and blank strings as unset', () => {
      const config = loadConfig(
        {
          PORT: '',
          HOST: ' ',
          LEDGER_DATA_DIR: '',
          EVENTSTORE_CONNECTION_STRING: '',
          LOG_LEVEL: '',
          BODY_LIMIT_BYTES: '',
          IDEMPOTENCY_TTL_HOURS: '',
          RATE_LIMIT_PER_MINUTE: ' ',
          RATE_LIMIT_BURST_PER_SECOND: '',
        },
        root,
      );

      expect(config.port).toBe(3000);
      expect(config.host).toBe('127.0.0.1');
      expect(config.dataDir).toBe(join(root, 'data'));
      expect(config.eventStoreConnectionString).toBeUndefined();
      expect(config.logLevel).toBe('log');
      expect(config.bodyLimitBytes).toBe(DEFAULT_BODY_LIMIT_BYTES);
      expect(config.idempotencyTtlHours).toBe(DEFAULT_IDEMPOTENCY_TTL_HOURS);
      expect(config.rateLimit).toEqual({
        perMinute: DEFAULT_RATE_LIMIT_PER_MINUTE,
        burstPerSecond: DEFAULT_RATE_LIMIT_BURST_PER_SECOND,
      });
    });

    it('leaves room above the 1 MiB event limit in the default body limit', () => {
      expect(DEFAULT_BODY_LIMIT_BYTES).toBeGreaterThan(1024 * 1024);
    });
  });

  describe('valid values', () => {
    it('reads and converts every variable', () => {
      const config = loadConfig(
        {
          PORT: '8080',
          HOST: '127.0.0.1',
          LEDGER_DATA_DIR: 'ledger-data',
          EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
          LOG_LEVEL: 'debug',
          PROJECTOR_THREAD: 'main',
          BODY_LIMIT_BYTES: '4194304',
          IDEMPOTENCY_TTL_HOURS: '48',
          ATTACHMENT_MAX_BYTES: '1048576',
          RATE_LIMIT_PER_MINUTE: '1200',
          RATE_LIMIT_BURST_PER_SECOND: '20',
          TRUST_PROXY: '2',
          EVIDENCE_SIGNING_KEY_FILE: 'keys/log.pem',
          TREE_HEAD_INTERVAL_SECONDS: '60',
          LOG_ORIGIN: 'ledger.ceo.example.gov.in/seizures',
          SHUTDOWN_GRACE_MS: '20000',
          PERSONAL_DATA_KEK_FILE: 'keys/kek',
        },
        root,
      );

      expect(config).toEqual({
        auth: expect.objectContaining({ issuer: 'seizure-custody-ledger' }),
        port: 8080,
        host: '127.0.0.1',
        dataDir: join(root, 'ledger-data'),
        eventStoreConnectionString: 'esdb://localhost:2113?tls=false',
        logLevel: 'debug',
        projectorThread: 'main',
        bodyLimitBytes: 4194304,
        idempotencyTtlHours: 48,
        attachmentMaxBytes: 1048576,
        rateLimit: { perMinute: 1200, burstPerSecond: 20 },
        trustProxy: 2,
        evidence: {
          signingKeyFile: join(root, 'keys/log.pem'),
          treeHeadIntervalSeconds: 60,
          logOrigin: 'ledger.ceo.example.gov.in/seizures',
        },
        shutdownGraceMs: 20_000,
        personalData: { kekFile: join(root, 'keys/kek') },
        retention: DEFAULT_RETENTION,
      });
    });

    it.each(['1', '65535'])('accepts PORT=%s', (port) => {
      expect(loadConfig({ PORT: port }, root).port).toBe(Number(port));
    });

    it.each(['localhost', '::', '::1', 'ledger.internal', 'db_host'])('accepts HOST=%s', (host) => {
      expect(loadConfig({ HOST: host }, root).host).toBe(host);
    });

    it.each([
      'esdb://localhost:2113',
      'esdb+discover://cluster.internal:2113',
      'kurrentdb://admin:changeit@localhost:2113?tls=true',
      'kurrentdb+discover://cluster.internal:2113',
    ])('accepts EVENTSTORE_CONNECTION_STRING=%s', (connectionString) => {
      expect(loadConfig({ EVENTSTORE_CONNECTION_STRING: connectionString }, root).eventStoreConnectionString).toBe(connectionString);
    });

    it.each(['error', 'warn', 'log', 'debug', 'verbose'])('accepts LOG_LEVEL=%s', (level) => {
      expect(loadConfig({ LOG_LEVEL: level }, root).logLevel).toBe(level);
    });

    it.each(['1024', String(16 * 1024 * 1024)])('accepts BODY_LIMIT_BYTES=%s', (limit) => {
      expect(loadConfig({ BODY_LIMIT_BYTES: limit }, root).bodyLimitBytes).toBe(Number(limit));
    });

    it.each(['1', '720'])('accepts IDEMPOTENCY_TTL_HOURS=%s', (hours) => {
      expect(loadConfig({ IDEMPOTENCY_TTL_HOURS: hours }, root).idempotencyTtlHours).toBe(Number(hours));
    });

    it.each([
      ['1', '1'],
      ['1000000', '100000'],
    ])('accepts RATE_LIMIT_PER_MINUTE=%s and RATE_LIMIT_BURST_PER_SECOND=%s', (perMinute, burst) => {
      expect(loadConfig({ RATE_LIMIT_PER_MINUTE: perMinute, RATE_LIMIT_BURST_PER_SECOND: burst }, root).rateLimit).toEqual({
        perMinute: Number(perMinute),
        burstPerSecond: Number(burst),
      });
    });

    it.each([
      [undefined, false],
      ['false', false],
      ['1', 1],
      ['32', 32],
    ])('reads TRUST_PROXY=%s as %p (X-Forwarded-For ignored unless set)', (value, expected) => {
      expect(loadConfig({ TRUST_PROXY: value }, root).trustProxy).toBe(expected);
    });

    it.each(['1', '3600'])('accepts TREE_HEAD_INTERVAL_SECONDS=%s', (seconds) => {
      expect(loadConfig({ TREE_HEAD_INTERVAL_SECONDS: seconds }, root).evidence.treeHeadIntervalSeconds).toBe(Number(seconds));
    });

    it.each(['0', '600000'])('accepts SHUTDOWN_GRACE_MS=%s', (ms) => {
      expect(loadConfig({ SHUTDOWN_GRACE_MS: ms }, root).shutdownGraceMs).toBe(Number(ms));
    });

    it('keeps an absolute EVIDENCE_SIGNING_KEY_FILE as given', () => {
      expect(loadConfig({ EVIDENCE_SIGNING_KEY_FILE: '/etc/ledger/log-key.pem' }, root).evidence.signingKeyFile).toBe(
        '/etc/ledger/log-key.pem',
      );
    });

    it('keeps an absolute LEDGER_DATA_DIR as given', () => {
      const dir = join(root, 'absolute');
      expect(loadConfig({ LEDGER_DATA_DIR: dir }, '/somewhere/else').dataDir).toBe(dir);
    });

    it('returns a frozen object', () => {
      const config = loadConfig({}, root);
      expect(Object.isFrozen(config)).toBe(true);
      expect(Object.isFrozen(config.rateLimit)).toBe(true);
    });
  });

  describe('data directory', () => {
    it('creates a missing data dir, parents included, with mode 0700', () => {
      const dir = join(root, 'nested', 'data');

      loadConfig({ LEDGER_DATA_DIR: dir }, root);

      const stats = statSync(dir);
      expect(stats.isDirectory()).toBe(true);
      expect(stats.mode & 0o777).toBe(0o700);
    });

    it('uses an existing directory without changing its mode', () => {
      const dir = join(root, 'existing');
      loadConfig({ LEDGER_DATA_DIR: dir }, root);
      chmodSync(dir, 0o750);

      loadConfig({ LEDGER_DATA_DIR: dir }, root);

      expect(statSync(dir).mode & 0o777).toBe(0o750);
    });

    it('rejects a path that is a file', () => {
      const file = join(root, 'not-a-dir');
      writeFileSync(file, '');

      const error = configErrorFor({ LEDGER_DATA_DIR: file });

      expect(error.problems).toEqual([{ variable: 'LEDGER_DATA_DIR', reason: `${file} exists and is not a directory` }]);
    });

    // root ignores permission bits, so this case is only observable as an ordinary user.
    const asRoot = process.getuid?.() === 0;
    (asRoot ? it.skip : it)('rejects a directory that is not writable', () => {
      const dir = join(root, 'read-only');
      loadConfig({ LEDGER_DATA_DIR: dir }, root);
      chmodSync(dir, 0o500);

      const error = configErrorFor({ LEDGER_DATA_DIR: dir });

      expect(error.problems).toEqual([{ variable: 'LEDGER_DATA_DIR', reason: expect.stringContaining('is not writable') }]);
    });
  });

  describe('personal-data key-encryption key', () => {
    const kek = Buffer.alloc(32, 7).toString('base64');

    it('keeps PERSONAL_DATA_KEK as a key object, so that printing the config shows no key material', () => {
      const config = loadConfig({ PERSONAL_DATA_KEK: kek }, root);

      expect(config.personalData.kek?.export()).toEqual(Buffer.alloc(32, 7));
      expect(JSON.stringify(config)).not.toContain(kek);
    });

    it.each([
      ['too short', Buffer.alloc(16, 1).toString('base64')],
      ['too long', Buffer.alloc(33, 1).toString('base64')],
      ['not base64', 'x'.repeat(43) + '!'],
    ])('rejects a PERSONAL_DATA_KEK that is %s, without echoing it', (_case, value) => {
      const error = configErrorFor({ PERSONAL_DATA_KEK: value });

      expect(error.problems).toEqual([
        { variable: 'PERSONAL_DATA_KEK', reason: 'must be the base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`)' },
      ]);
      expect(error.message).not.toContain(value);
    });

    it('rejects both PERSONAL_DATA_KEK and PERSONAL_DATA_KEK_FILE', () => {
      const error = configErrorFor({ PERSONAL_DATA_KEK: kek, PERSONAL_DATA_KEK_FILE: 'kek' });

      expect(error.problems).toEqual([
        { variable: 'PERSONAL_DATA_KEK', reason: 'set either PERSONAL_DATA_KEK or PERSONAL_DATA_KEK_FILE, not both' },
      ]);
    });

    // root ignores permission bits but the mode check does not: it looks at the bits themselves.
    it('refuses a KEK file, given or generated, that group or others can read', () => {
      const given = join(root, 'kek');
      writeFileSync(given, kek, { mode: 0o640 });
      chmodSync(given, 0o640);
      expect(configErrorFor({ PERSONAL_DATA_KEK_FILE: given }).problems).toEqual([
        {
          variable: 'PERSONAL_DATA_KEK_FILE',
          reason: `personal-data key-encryption key ${given} is readable by group (mode 0640); run: chmod 600 ${given}`,
        },
      ]);

      const generated = join(root, 'data', 'personal-data-kek');
      loadConfig({ LEDGER_DATA_DIR: join(root, 'data') }, root);
      writeFileSync(generated, kek, { mode: 0o604 });
      chmodSync(generated, 0o604);
      expect(configErrorFor({}).problems).toEqual([
        { variable: 'PERSONAL_DATA_KEK_FILE', reason: expect.stringContaining(`${generated} is readable by others (mode 0604)`) },
      ]);
      // A KEK given in the environment makes the file irrelevant.
      expect(loadConfig({ LEDGER_DATA_DIR: join(root, 'data'), PERSONAL_DATA_KEK: kek }, root).personalData.kekFile).toBeUndefined();
    });
  });

  describe('idempotency secret', () => {
    // Like the KEK check above, it reads the mode bits, so it holds for root too.
    it('refuses a generated idempotency secret that group or others can read', () => {
      const dataDir = join(root, 'data');
      loadConfig({ LEDGER_DATA_DIR: dataDir }, root);
      const secret = join(dataDir, 'idempotency-secret');
      writeFileSync(secret, `${Buffer.alloc(32, 3).toString('base64')}\n`, { mode: 0o640 });
      chmodSync(secret, 0o640);

      expect(configErrorFor({}).problems).toEqual([
        {
          variable: 'LEDGER_DATA_DIR',
          reason: `idempotency secret ${secret} is readable by group (mode 0640); run: chmod 600 ${secret}`,
        },
      ]);
      chmodSync(secret, 0o600);
      expect(loadConfig({ LEDGER_DATA_DIR: dataDir }, root).dataDir).toBe(dataDir);
    });
  });

  describe('invalid values', () => {
    it.each([
      ['PORT', 'abc', 'must be an integer from 1 to 65535 (got "abc")'],
      ['PORT', '0', 'must be an integer from 1 to 65535 (got 0)'],
      ['PORT', '65536', 'must be an integer from 1 to 65535 (got 65536)'],
      ['PORT', '80.5', 'must be an integer from 1 to 65535 (got "80.5")'],
      ['PORT', '-1', 'must be an integer from 1 to 65535 (got "-1")'],
      ['PORT', '0x50', 'must be an integer from 1 to 65535 (got "0x50")'],
      ['HOST', 'not a host', 'must be an IP address or a host name (got "not a host")'],
      ['LOG_LEVEL', 'loud', 'must be one of error, warn, log, debug, verbose (got "loud")'],
      ['LOG_LEVEL', 'DEBUG', 'must be one of error, warn, log, debug, verbose (got "DEBUG")'],
      ['PROJECTOR_THREAD', 'thread', 'must be one of worker, main (got "thread")'],
      ['BODY_LIMIT_BYTES', 'lots', 'must be an integer from 1024 to 16777216 (16 MiB) (got "lots")'],
      ['BODY_LIMIT_BYTES', '16777217', 'must be an integer from 1024 to 16777216 (16 MiB) (got 16777217)'],
      ['BODY_LIMIT_BYTES', '100', 'must be an integer from 1024 to 16777216 (16 MiB) (got 100)'],
      ['IDEMPOTENCY_TTL_HOURS', '0', 'must be an integer from 1 to 720 (got 0)'],
      ['IDEMPOTENCY_TTL_HOURS', '721', 'must be an integer from 1 to 720 (got 721)'],
      ['IDEMPOTENCY_TTL_HOURS', '1.5', 'must be an integer from 1 to 720 (got "1.5")'],
      ['RATE_LIMIT_PER_MINUTE', '0', 'must be an integer from 1 to 1000000 (got 0)'],
      ['RATE_LIMIT_PER_MINUTE', 'many', 'must be an integer from 1 to 1000000 (got "many")'],
      ['RATE_LIMIT_BURST_PER_SECOND', '100001', 'must be an integer from 1 to 100000 (got 100001)'],
      ['RATE_LIMIT_BURST_PER_SECOND', '-3', 'must be an integer from 1 to 100000 (got "-3")'],
      ['TRUST_PROXY', 'true', 'must be false or a number of proxies from 1 to 32 (got "true")'],
      ['TRUST_PROXY', '0', 'must be false or a number of proxies from 1 to 32 (got "0")'],
      ['TRUST_PROXY', '33', 'must be false or a number of proxies from 1 to 32 (got "33")'],
      ['TREE_HEAD_INTERVAL_SECONDS', '0', 'must be an integer from 1 to 3600 (got 0)'],
      ['TREE_HEAD_INTERVAL_SECONDS', '3601', 'must be an integer from 1 to 3600 (got 3601)'],
      ['TREE_HEAD_INTERVAL_SECONDS', 'often', 'must be an integer from 1 to 3600 (got "often")'],
      [
        'LOG_ORIGIN',
        'https://ledger.example/log',
        'must be a schema-less URL such as ledger.example.gov.in/seizures (no https://) (got "https://ledger.example/log")',
      ],
      [
        'LOG_ORIGIN',
        'ledger.example/my log',
        'must not contain spaces or "+" (it is also the name of the log key) (got "ledger.example/my log")',
      ],
      [
        'LOG_ORIGIN',
        'ledger.example/a+b',
        'must not contain spaces or "+" (it is also the name of the log key) (got "ledger.example/a+b")',
      ],
      ['LOG_ORIGIN', 'a'.repeat(256), `must be at most 255 bytes (got "${'a'.repeat(256)}")`],
      ['SHUTDOWN_GRACE_MS', '600001', 'must be an integer from 0 to 600000 (milliseconds) (got 600001)'],
      ['SHUTDOWN_GRACE_MS', '5s', 'must be an integer from 0 to 600000 (milliseconds) (got "5s")'],
    ])('rejects %s=%s', (variable, value, reason) => {
      const error = configErrorFor({ [variable]: value });

      expect(error.problems).toEqual([{ variable, reason }]);
      expect(error.message).toContain(`${variable}: ${reason}`);
    });

    it.each(['http://admin:s3cret@localhost:2113', 'localhost:2113', 'esdb://', 'tcp://localhost:1113', 'ESDB://localhost:2113'])(
      'rejects EVENTSTORE_CONNECTION_STRING=%s',
      (value) => {
        const error = configErrorFor({ EVENTSTORE_CONNECTION_STRING: value });

        expect(error.problems).toEqual([
          {
            variable: 'EVENTSTORE_CONNECTION_STRING',
            reason: 'must start with esdb://, esdb+discover://, kurrentdb://, kurrentdb+discover:// and name a host',
          },
        ]);
      },
    );

    it('never echoes a rejected connection string, which may hold credentials', () => {
      const error = configErrorFor({ EVENTSTORE_CONNECTION_STRING: 'https://admin:s3cret@db.internal:2113' });

      expect(error.message).not.toContain('s3cret');
      expect(error.message).not.toContain('db.internal');
    });

    it('lists every bad variable in one error', () => {
      const file = join(root, 'file');
      writeFileSync(file, '');

      const error = configErrorFor({
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        BODY_LIMIT_BYTES: '-5',
        EVENTSTORE_CONNECTION_STRING: 'http://x',
        LEDGER_DATA_DIR: file,
      });

      expect(error.problems.map((p) => p.variable).sort()).toEqual([
        'BODY_LIMIT_BYTES',
        'EVENTSTORE_CONNECTION_STRING',
        'LEDGER_DATA_DIR',
        'LOG_LEVEL',
        'PORT',
      ]);
      expect(error.message.split('\n')[0]).toBe('Invalid configuration:');
      expect(error.message.split('\n')).toHaveLength(6);
    });
  });
});
