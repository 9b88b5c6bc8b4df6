import { createSecretKey, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import type { ValidationArguments } from 'class-validator';
import { got, readEnvironment, toInteger, type ConfigProblem } from './env-schema';
import { publicKeyFrom, type AsymmetricAlgorithm, type KeyResult, type PublicKeyConfig } from './jwt-public-key';

export { ASYMMETRIC_ALGORITHMS, type AsymmetricAlgorithm, type PublicKeyConfig } from './jwt-public-key';

export const DEFAULT_JWT_ISSUER = 'seizure-custody-ledger';
export const DEFAULT_JWT_AUDIENCE = 'seizure-custody-ledger';
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;
/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output. */
export const MIN_SECRET_BYTES = 32;
/** Name of the secret generated in the data directory when no key is configured. */
export const GENERATED_SECRET_FILE = 'jwt-secret';

export type JwtAlgorithm = 'HS256' | AsymmetricAlgorithm;

/** Tokens are signed and verified here with a shared secret (HS256): local use and the CLI. */
export interface SecretKeyConfig {
  readonly kind: 'secret';
  readonly key: KeyObject;
  readonly algorithms: readonly ['HS256'];
  /** Where the secret came from, for start-up logs; never the secret itself. */
  readonly source: string;
}

/**
 * No key is configured: an HS256 secret is generated in `file` on first start and read on later
 * ones. Configuration only names the file; the auth module creates or reads it.
 */
export interface GeneratedSecretSettings {
  readonly kind: 'generated-secret';
  readonly file: string;
  readonly algorithms: readonly ['HS256'];
}

/** Token settings as read from the environment, every variable checked. */
export interface AuthSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly clockToleranceSeconds: number;
  readonly key: SecretKeyConfig | PublicKeyConfig | GeneratedSecretSettings;
}

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

const toleranceMessage = (args: ValidationArguments): string => `must be an integer from 0 to ${MAX_CLOCK_TOLERANCE_SECONDS} ${got(args)}`;
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

type KeySettings = AuthSettings['key'];

/**
 * Reads and checks the token settings. With no key configured, the key names the file
 * `<dataDir>/jwt-secret`, which nothing here touches. Returns every bad variable.
 */
export function readAuthSettings(env: NodeJS.ProcessEnv, dataDir: string): { settings?: AuthSettings; problems: ConfigProblem[] } {
  const { values: vars, problems } = readEnvironment(env, AuthEnvironmentVariables, VARIABLES);
  const invalid = new Set(problems.map((p) => p.variable));
  const ambiguity = ambiguousKeyProblems(vars);
  problems.push(...ambiguity);
  const requestedAlgorithms = invalid.has('JWT_ALGORITHMS') ? undefined : parseAlgorithmList(vars.JWT_ALGORITHMS);

  // With an ambiguous or invalid key setting there is no one key to check the rest against.
  const keyIsClear = ambiguity.length === 0 && !invalid.has('JWT_SECRET');
  const hasPublicKey = vars.JWT_PUBLIC_KEY !== undefined || vars.JWT_PUBLIC_KEY_FILE !== undefined;
  let result: KeyResult<KeySettings> | undefined;
  if (keyIsClear && hasPublicKey) {
    result = publicKeyFrom(vars, requestedAlgorithms);
  } else if (keyIsClear && (vars.JWT_SECRET !== undefined || problems.length === 0)) {
    // Without a secret and with other problems, start-up fails anyway: nothing to check a generated secret against.
    result = secretFrom(vars.JWT_SECRET, requestedAlgorithms, dataDir);
  }
  if (result !== undefined && 'problem' in result) problems.push(result.problem);
  if (problems.length > 0 || result === undefined || 'problem' in result) return { problems };

  const settings: AuthSettings = Object.freeze({
    issuer: vars.JWT_ISSUER ?? DEFAULT_JWT_ISSUER,
    audience: vars.JWT_AUDIENCE ?? DEFAULT_JWT_AUDIENCE,
    clockToleranceSeconds: vars.JWT_CLOCK_TOLERANCE_SECONDS ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    key: result.key,
  });
  return { settings, problems };
}

function ambiguousKeyProblems(vars: AuthEnvironmentVariables): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const hasPublicKey = vars.JWT_PUBLIC_KEY !== undefined || vars.JWT_PUBLIC_KEY_FILE !== undefined;
  if (vars.JWT_SECRET !== undefined && hasPublicKey) {
    problems.push({
      variable: 'JWT_SECRET',
      reason: 'set either JWT_SECRET or a public key (JWT_PUBLIC_KEY / JWT_PUBLIC_KEY_FILE), not both',
    });
  }
  if (vars.JWT_PUBLIC_KEY !== undefined && vars.JWT_PUBLIC_KEY_FILE !== undefined) {
    problems.push({ variable: 'JWT_PUBLIC_KEY', reason: 'set either JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE, not both' });
  }
  return problems;
}

function parseAlgorithmList(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  return [...new Set(list.split(',').map((name) => name.trim()))];
}

const HS256_ONLY: readonly ['HS256'] = Object.freeze(['HS256'] as const);

// A KeyObject rather than a string or Buffer: inspecting or serialising the config then shows
// no key material, so an accidental `log(config)` cannot leak the secret.
export function secretKey(secret: string, source: string): SecretKeyConfig {
  return Object.freeze({
    kind: 'secret',
    key: createSecretKey(Buffer.from(secret, 'utf8')),
    algorithms: HS256_ONLY,
    source,
  });
}

function secretFrom(
  secret: string | undefined,
  algorithms: string[] | undefined,
  dataDir: string,
): KeyResult<SecretKeyConfig | GeneratedSecretSettings> {
  if (algorithms !== undefined && (algorithms.length !== 1 || algorithms[0] !== 'HS256')) {
    return {
      problem: {
        variable: 'JWT_ALGORITHMS',
        reason: `must be HS256 when a shared secret is used (got ${JSON.stringify(algorithms.join(','))})`,
      },
    };
  }
  if (secret !== undefined) return { key: secretKey(secret, 'JWT_SECRET') };
  return { key: Object.freeze({ kind: 'generated-secret', file: join(dataDir, GENERATED_SECRET_FILE), algorithms: HS256_ONLY }) };
}
