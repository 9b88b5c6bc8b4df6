import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_JWT_AUDIENCE,
  DEFAULT_JWT_ISSUER,
  MIN_SECRET_BYTES,
  readAuthSettings,
  secretKey,
  type AuthSettings,
  type GeneratedSecretSettings,
  type PublicKeyConfig,
  type SecretKeyConfig,
} from '../config/auth-settings';
import { ConfigError, type ConfigProblem } from '../config/env-schema';
import { readOrCreateSecretFile, SecretFileError } from '../platform/secret-file';

export {
  ASYMMETRIC_ALGORITHMS,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_JWT_AUDIENCE,
  DEFAULT_JWT_ISSUER,
  GENERATED_SECRET_FILE,
  MAX_CLOCK_TOLERANCE_SECONDS,
  MIN_SECRET_BYTES,
  type AsymmetricAlgorithm,
  type JwtAlgorithm,
  type PublicKeyConfig,
  type SecretKeyConfig,
} from '../config/auth-settings';

/** Injection token of the validated, frozen authentication configuration. */
export const AUTH_CONFIG = Symbol('AuthConfig');

/** The token settings with their key in hand: a generated secret has been created or read. */
export interface AuthConfig extends AuthSettings {
  readonly key: SecretKeyConfig | PublicKeyConfig;
}

export type AuthConfigProblem = ConfigProblem;

/**
 * Start-up must stop on this. It is a ConfigError, so main prints it like any other bad
 * variable; no message ever contains key material.
 */
export class AuthConfigError extends ConfigError {
  constructor(problems: readonly AuthConfigProblem[]) {
    super(problems);
    this.name = 'AuthConfigError';
  }
}

/**
 * Reads and validates the authentication settings once (the CLI's way in; the app reads them
 * with the rest of its configuration). With no key configured, a random HS256 secret is
 * generated in `<dataDir>/jwt-secret` and reused on later starts. Throws AuthConfigError listing
 * every bad variable; the secret file is created only when every variable is valid.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv, dataDir: string, log: (msg: string) => void): AuthConfig {
  const { settings, problems } = readAuthSettings(env, dataDir);
  if (problems.length > 0 || settings === undefined) throw new AuthConfigError(problems);
  return resolveAuthConfig(settings, log);
}

/** Settings whose key is still to be generated get it here (read from its file, or created). */
export function resolveAuthConfig(
  settings: AuthSettings,
  log: (msg: string) => void = (message) => new Logger('Auth').log(message),
): AuthConfig {
  const { key } = settings;
  if (key.kind !== 'generated-secret') return Object.freeze({ ...settings, key });
  return Object.freeze({ ...settings, key: generatedSecret(key, log) });
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

/** Reuses the generated secret file, or creates it on first start. */
function generatedSecret({ file: path }: GeneratedSecretSettings, log: (msg: string) => void): SecretKeyConfig {
  const refuse = (problem: string): never => {
    throw new AuthConfigError([{ variable: 'JWT_SECRET', reason: `is unset, and the generated secret file ${problem}` }]);
  };
  let file;
  try {
    // Stored as text so the same value can be copied into JWT_SECRET for another instance.
    file = readOrCreateSecretFile(path, () => `${randomBytes(32).toString('base64url')}\n`);
  } catch (error) {
    if (error instanceof SecretFileError) return refuse(error.message);
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return refuse(`${path} cannot be read or written (${code})`);
  }
  // Like ssh with private keys: a secret others can read is no longer a secret.
  if (process.platform !== 'win32' && (file.mode & 0o077) !== 0) {
    const mode = file.mode.toString(8).padStart(4, '0');
    refuse(`${path} is accessible to other users (mode ${mode}); run \`chmod 600 ${path}\``);
  }
  const secret = file.content.trim();
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    refuse(
      `${path} holds fewer than ${MIN_SECRET_BYTES} bytes; delete it to generate a new one ` +
        '(tokens signed with the old secret then stop working)',
    );
  }
  if (file.created) {
    log(
      `No JWT_SECRET or JWT_PUBLIC_KEY set: generated a random 256-bit HS256 signing secret in ${path} ` +
        '(mode 0600); it is reused on later starts. Tokens signed with it are valid only for this data directory.',
    );
  }
  return secretKey(secret, `file ${path}`);
}
