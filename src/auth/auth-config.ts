import { KeyObject, createPublicKey, createSecretKey, randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min, ValidateBy, validateSync } from 'class-validator';
import type { ValidationArguments } from 'class-validator';

/** Injection token of the validated, frozen authentication configuration. */
export const AUTH_CONFIG = Symbol('AuthConfig');

export const DEFAULT_JWT_ISSUER = 'seizure-custody-ledger';
export const DEFAULT_JWT_AUDIENCE = 'seizure-custody-ledger';
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;
/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output. */
export const MIN_SECRET_BYTES = 32;
/** Name of the secret generated in the data directory when no key is configured. */
export const GENERATED_SECRET_FILE = 'jwt-secret';

export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];
export type JwtAlgorithm = 'HS256' | AsymmetricAlgorithm;

/** Tokens are signed and verified here with a shared secret (HS256): local use and the CLI. */
export interface SecretKeyConfig {
  readonly kind: 'secret';
  readonly key: KeyObject;
  readonly algorithms: readonly ['HS256'];
  /** Where the secret came from, for start-up logs; never the secret itself. */
  readonly source: string;
}

/** Tokens come from an outside identity provider; only its public key is known here. */
export interface PublicKeyConfig {
  readonly kind: 'public-key';
  readonly key: KeyObject;
  readonly algorithms: readonly AsymmetricAlgorithm[];
  readonly source: string;
}

export interface AuthConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly clockToleranceSeconds: number;
  readonly key: SecretKeyConfig | PublicKeyConfig;
}

export interface AuthConfigProblem {
  variable: string;
  reason: string;
}

/**
 * Start-up must stop on this. Its problems have the same shape as the app config's, so the
 * single config loader can merge them into one report; no message ever contains key material.
 */
export class AuthConfigError extends Error {
  constructor(readonly problems: readonly AuthConfigProblem[]) {
    super(['Invalid configuration:', ...problems.map((p) => `  ${p.variable}: ${p.reason}`)].join('\n'));
    this.name = 'AuthConfigError';
  }
}

const got = (args: ValidationArguments): string => `(got ${JSON.stringify(args.value)})`;

/** Keeps non-digit input as the original string so that IsInt rejects it and the message quotes it. */
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;

function HasMinBytes(min: number): PropertyDecorator {
  return ValidateBy({
    name: 'hasMinBytes',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && Buffer.byteLength(value, 'utf8') >= min,
      // Never quotes the value: it is a secret.
      defaultMessage: () => `must be at least ${min} bytes long (use e.g. \`openssl rand -base64 48\`)`,
    },
  });
}

const toleranceMessage = (args: ValidationArguments): string =>
  `must be an integer from 0 to ${MAX_CLOCK_TOLERANCE_SECONDS} ${got(args)}`;
/** Printable, no whitespace: an issuer or audience is compared byte for byte with the token's. */
const IDENTIFIER = /^[\x21-\x7e]+$/;

/** The raw environment, as class-validator sees it. Unset and empty variables are absent. */
class AuthEnvironmentVariables {
  @IsOptional()
  @HasMinBytes(MIN_SECRET_BYTES)
  JWT_SECRET?: string;

  // PEM text; parsed and checked once the whole environment is known.
  @IsOptional()
  JWT_PUBLIC_KEY?: string;

  @IsOptional()
  JWT_PUBLIC_KEY_FILE?: string;

  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9]+\s*(,\s*[A-Za-z0-9]+\s*)*$/, {
    message: (args) => `must be a comma-separated list of algorithm names ${got(args)}`,
  })
  JWT_ALGORITHMS?: string;

  @IsOptional()
  @MaxLength(512, { message: 'must be at most 512 characters' })
  @Matches(IDENTIFIER, { message: (args) => `must be printable ASCII without spaces ${got(args)}` })
  JWT_ISSUER?: string;

  @IsOptional()
  @MaxLength(512, { message: 'must be at most 512 characters' })
  @Matches(IDENTIFIER, { message: (args) => `must be printable ASCII without spaces ${got(args)}` })
  JWT_AUDIENCE?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: toleranceMessage })
  @Min(0, { message: toleranceMessage })
  @Max(MAX_CLOCK_TOLERANCE_SECONDS, { message: toleranceMessage })
  JWT_CLOCK_TOLERANCE_SECONDS?: number;
}

const VARIABLES = [
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  'JWT_PUBLIC_KEY_FILE',
  'JWT_ALGORITHMS',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_CLOCK_TOLERANCE_SECONDS',
] as const satisfies readonly (keyof AuthEnvironmentVariables)[];

/**
 * Reads and validates the authentication settings once, at start-up (or in the CLI). With no
 * key configured, a random HS256 secret is generated in `<dataDir>/jwt-secret` and reused on
 * later starts. Throws AuthConfigError listing every bad variable.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv, dataDir: string, log: (msg: string) => void): AuthConfig {
  const raw: Partial<Record<(typeof VARIABLES)[number], string>> = {};
  for (const name of VARIABLES) {
    const value = env[name];
    // Empty means unset, as for every other variable of the app.
    if (value !== undefined && value.trim() !== '') raw[name] = value;
  }

  const vars = plainToInstance(AuthEnvironmentVariables, raw);
  const problems: AuthConfigProblem[] = validateSync(vars, { stopAtFirstError: true }).map((error) => ({
    variable: error.property,
    reason: Object.values(error.constraints ?? {})[0] ?? 'is invalid',
  }));
  const invalid = new Set(problems.map((p) => p.variable));

  const hasPublicKey = vars.JWT_PUBLIC_KEY !== undefined || vars.JWT_PUBLIC_KEY_FILE !== undefined;
  let ambiguous = false;
  if (vars.JWT_SECRET !== undefined && hasPublicKey) {
    ambiguous = true;
    problems.push({
      variable: 'JWT_SECRET',
      reason: 'set either JWT_SECRET or a public key (JWT_PUBLIC_KEY / JWT_PUBLIC_KEY_FILE), not both',
    });
  }
  if (vars.JWT_PUBLIC_KEY !== undefined && vars.JWT_PUBLIC_KEY_FILE !== undefined) {
    ambiguous = true;
    problems.push({ variable: 'JWT_PUBLIC_KEY', reason: 'set either JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE, not both' });
  }
  const requestedAlgorithms = invalid.has('JWT_ALGORITHMS') ? undefined : parseAlgorithmList(vars.JWT_ALGORITHMS);

  // With an ambiguous or invalid key setting there is no one key to check the rest against.
  const keyIsClear = !ambiguous && !invalid.has('JWT_SECRET');
  let result: KeyResult<SecretKeyConfig | PublicKeyConfig> | undefined;
  if (keyIsClear && hasPublicKey) {
    result = publicKeyFrom(vars, requestedAlgorithms);
  } else if (keyIsClear && (vars.JWT_SECRET !== undefined || problems.length === 0)) {
    // A secret file is generated only once everything else is valid: a failed start leaves no trace.
    result = secretFrom(vars.JWT_SECRET, requestedAlgorithms, dataDir, log);
  }
  let key: SecretKeyConfig | PublicKeyConfig | undefined;
  if (result !== undefined && 'problem' in result) problems.push(result.problem);
  else key = result?.key;

  if (problems.length > 0 || key === undefined) throw new AuthConfigError(problems);

  return Object.freeze({
    issuer: vars.JWT_ISSUER ?? DEFAULT_JWT_ISSUER,
    audience: vars.JWT_AUDIENCE ?? DEFAULT_JWT_AUDIENCE,
    clockToleranceSeconds: vars.JWT_CLOCK_TOLERANCE_SECONDS ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    key,
  });
}

/**
 * An HS256 configuration from a known secret, for tests and tools that must not touch the
 * environment or the data directory.
 */
export function secretAuthConfig(
  secret: string,
  options: Partial<Pick<AuthConfig, 'issuer' | 'audience' | 'clockToleranceSeconds'>> = {},
): AuthConfig {
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new AuthConfigError([{ variable: 'JWT_SECRET', reason: `must be at least ${MIN_SECRET_BYTES} bytes long` }]);
  }
  return Object.freeze({
    issuer: options.issuer ?? DEFAULT_JWT_ISSUER,
    audience: options.audience ?? DEFAULT_JWT_AUDIENCE,
    clockToleranceSeconds: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    key: secretKey(secret, 'a secret given in code'),
  });
}

type KeyResult<K> = { key: K } | { problem: AuthConfigProblem };

function parseAlgorithmList(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  return [...new Set(list.split(',').map((name) => name.trim()))];
}

// A KeyObject rather than a string or Buffer: inspecting or serialising the config then shows
// no key material, so an accidental `log(config)` cannot leak the secret.
function secretKey(secret: string, source: string): SecretKeyConfig {
  return Object.freeze({
    kind: 'secret',
    key: createSecretKey(Buffer.from(secret, 'utf8')),
    algorithms: Object.freeze(['HS256']) as readonly ['HS256'],
    source,
  });
}

function secretFrom(
  secret: string | undefined,
  algorithms: string[] | undefined,
  dataDir: string,
  log: (msg: string) => void,
): KeyResult<SecretKeyConfig> {
  if (algorithms !== undefined && (algorithms.length !== 1 || algorithms[0] !== 'HS256')) {
    return {
      problem: {
        variable: 'JWT_ALGORITHMS',
        reason: `must be HS256 when a shared secret is used (got ${JSON.stringify(algorithms.join(','))})`,
      },
    };
  }
  if (secret !== undefined) return { key: secretKey(secret, 'JWT_SECRET') };
  return generatedSecret(dataDir, log);
}

/** Reuses `<dataDir>/jwt-secret`, or creates it on first start. */
function generatedSecret(dataDir: string, log: (msg: string) => void): KeyResult<SecretKeyConfig> {
  const path = join(dataDir, GENERATED_SECRET_FILE);
  const fromFile = (read: { secret: string } | { problem: string }): KeyResult<SecretKeyConfig> =>
    'problem' in read
      ? { problem: { variable: 'JWT_SECRET', reason: `is unset, and the generated secret file ${read.problem}` } }
      : { key: secretKey(read.secret, `file ${path}`) };
  try {
    const existing = readSecretFile(path);
    if (existing !== undefined) return fromFile(existing);
    const created = createSecretFile(dataDir, path);
    if (created === undefined) {
      // Another process created the file between our read and our link: adopt its secret.
      return fromFile(readSecretFile(path) ?? { problem: `${path} vanished while being created` });
    }
    log(
      `No JWT_SECRET or JWT_PUBLIC_KEY set: generated a random 256-bit HS256 signing secret in ${path} ` +
        '(mode 0600); it is reused on later starts. Tokens signed with it are valid only for this data directory.',
    );
    return fromFile({ secret: created });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return fromFile({ problem: `${path} cannot be read or written (${code})` });
  }
}

function readSecretFile(path: string): { secret: string } | { problem: string } | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return undefined;
  if (!stats.isFile()) return { problem: `${path} exists and is not a regular file` };
  // Like ssh with private keys: a secret others can read is no longer a secret.
  if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    return { problem: `${path} is accessible to other users (mode ${mode}); run \`chmod 600 ${path}\`` };
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    return {
      problem:
        `${path} holds fewer than ${MIN_SECRET_BYTES} bytes; delete it to generate a new one ` +
        '(tokens signed with the old secret then stop working)',
    };
  }
  return { secret };
}

/**
 * Writes a new secret to a temporary file and links it into place, so a reader never sees a
 * partial file and two processes starting at once agree on one secret: the second link fails
 * with EEXIST. Returns the secret, or undefined when another process won that race.
 */
function createSecretFile(dataDir: string, path: string): string | undefined {
  // 0700 like the data directory itself; a no-op when it already exists.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Stored as text so the same value can be copied into JWT_SECRET for another instance.
  const secret = randomBytes(32).toString('base64url');
  const temporary = join(dataDir, `.${GENERATED_SECRET_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600); // the umask may have removed bits, never added them; this makes it exact
    writeSync(fd, `${secret}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return undefined;
    // Some file systems (certain network and container mounts) refuse hard links.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true }); // after a rename it is already gone
  }
  syncDirectory(dataDir);
  return secret;
}

/** Makes the new directory entry durable; best effort, as not every platform can fsync a directory. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The file's own data is already synced; losing the entry on power loss means a new secret next start.
  }
}

function publicKeyFrom(vars: AuthEnvironmentVariables, requested: string[] | undefined): KeyResult<PublicKeyConfig> {
  let variable: 'JWT_PUBLIC_KEY' | 'JWT_PUBLIC_KEY_FILE';
  let pem: string;
  if (vars.JWT_PUBLIC_KEY_FILE !== undefined) {
    variable = 'JWT_PUBLIC_KEY_FILE';
    try {
      pem = readFileSync(vars.JWT_PUBLIC_KEY_FILE, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      return { problem: { variable, reason: `${vars.JWT_PUBLIC_KEY_FILE} cannot be read (${code})` } };
    }
  } else {
    variable = 'JWT_PUBLIC_KEY';
    // Env files and orchestrators often carry a PEM on one line with literal "\n" separators.
    pem = (vars.JWT_PUBLIC_KEY ?? '').replace(/\\n/g, '\n');
  }
  const fail = (reason: string): KeyResult<PublicKeyConfig> => ({ problem: { variable, reason } });

  // Refused rather than reduced to its public half: a private key in the environment is a leak to fix.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return fail('holds a private key; configure only the identity provider\u2019s public key');
  }
  if (!pem.includes('-----BEGIN ')) return fail('must be a PEM-encoded public key (-----BEGIN PUBLIC KEY-----)');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    return fail('is not a valid PEM public key or certificate');
  }

  const supported = algorithmsForKey(key);
  if ('problem' in supported) return fail(supported.problem);
  let algorithms: AsymmetricAlgorithm[] = [supported.preferred];
  if (requested !== undefined) {
    const isAllowed = (name: string): name is AsymmetricAlgorithm =>
      (supported.allowed as readonly string[]).includes(name);
    const refused = requested.filter((name) => !isAllowed(name));
    if (refused.length > 0) {
      return {
        problem: {
          variable: 'JWT_ALGORITHMS',
          reason:
            `${refused.join(', ')} cannot be used with this ${describeKey(key)}; ` +
            `allowed: ${supported.allowed.join(', ')}`,
        },
      };
    }
    algorithms = requested.filter(isAllowed);
  }
  const source = variable === 'JWT_PUBLIC_KEY_FILE' ? `file ${vars.JWT_PUBLIC_KEY_FILE}` : 'JWT_PUBLIC_KEY';
  return { key: Object.freeze({ kind: 'public-key', key, algorithms: Object.freeze(algorithms), source }) };
}

const CURVE_ALGORITHMS: Readonly<Record<string, AsymmetricAlgorithm>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};
const MIN_RSA_BITS = 2048;

function algorithmsForKey(
  key: KeyObject,
): { allowed: readonly AsymmetricAlgorithm[]; preferred: AsymmetricAlgorithm } | { problem: string } {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
        return { problem: `is a ${details.modulusLength ?? '?'}-bit RSA key; at least ${MIN_RSA_BITS} bits are required` };
      }
      return { allowed: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'], preferred: 'RS256' };
    case 'ec': {
      const algorithm = CURVE_ALGORITHMS[details.namedCurve ?? ''];
      if (algorithm === undefined) {
        return { problem: `uses the EC curve ${details.namedCurve ?? '?'}; use P-256, P-384 or P-521` };
      }
      return { allowed: [algorithm], preferred: algorithm };
    }
    case 'ed25519':
    case 'ed448':
      return { allowed: ['EdDSA'], preferred: 'EdDSA' };
    default:
      return { problem: `is a ${key.asymmetricKeyType ?? 'unknown'} key; use an RSA, EC (P-256/384/521) or Ed25519 key` };
  }
}

function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return `EC ${details.namedCurve ?? ''} key`;
  if (key.asymmetricKeyType === 'rsa') return `${details.modulusLength ?? ''}-bit RSA key`;
  return `${key.asymmetricKeyType ?? 'unknown'} key`;
}
