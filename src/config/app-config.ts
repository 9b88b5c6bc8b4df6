import { accessSync, constants as fsConstants, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateBy, isFQDN, isIP } from 'class-validator';
import type { ValidationArguments } from 'class-validator';
import { readAuthSettings, type AuthSettings } from './auth-settings';
import {
  dataDirModeProblem,
  GENERATED_SIGNING_KEY_FILE,
  IDEMPOTENCY_SECRET_FILE,
  privateFileProblems,
  type PrivateFile,
} from './file-modes';
import { ConfigError, got, readEnvironment, toInteger } from './env-schema';
import { logOriginProblem } from '../shared/log-origin';
import { GENERATED_KEK_FILE, readPersonalDataSettings, type PersonalDataConfig } from './personal-data-settings';
import { MAX_WITNESS_TIMEOUT_MS, readWitnessSettings, type WitnessingConfig } from './witness-settings';
import { DEFAULT_RETENTION, readRetentionSettings, type RetentionConfig } from './retention-settings';

export type { WitnessEndpoint, WitnessingConfig } from './witness-settings';
export type { RetentionCategory, RetentionConfig } from './retention-settings';

export { ConfigError, type ConfigProblem } from './env-schema';

/** Injection token of the validated, frozen configuration. */
export const APP_CONFIG = Symbol('AppConfig');

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** worker: the projector runs in a worker thread of its own; main: on the request thread. */
export const PROJECTOR_THREADS = ['worker', 'main'] as const;
export type ProjectorThreadMode = (typeof PROJECTOR_THREADS)[number];

export const MIN_BODY_LIMIT_BYTES = 1024;
export const MAX_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
/** Headroom above the 1 MiB event limit for the JSON envelope around an event's data. */
export const DEFAULT_BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** A client retrying for longer than a day has lost track of its request; 30 days bounds the table. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 64 * 1024 * 1024;
export const MAX_ATTACHMENT_MAX_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;
export const MAX_IDEMPOTENCY_TTL_HOURS = 30 * 24;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
export const DEFAULT_RATE_LIMIT_BURST_PER_SECOND = 50;
export const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;
export const MAX_RATE_LIMIT_BURST_PER_SECOND = 100_000;
export const MAX_TRUSTED_PROXIES = 32;
export const DEFAULT_TREE_HEAD_INTERVAL_SECONDS = 5;
export const MAX_TREE_HEAD_INTERVAL_SECONDS = 3600;
/** Under Docker's 10 s between SIGTERM and SIGKILL, leaving time to close the databases. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;
export const MAX_SHUTDOWN_GRACE_MS = 10 * 60 * 1000;

// kurrentdb schemes are rewritten to esdb ones by the adapter, since the client parses only those.
export const EVENTSTORE_SCHEMES = ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover'] as const;

export interface AppConfig {
  /** Token settings; a generated secret is only named here, the auth module creates or reads it. */
  readonly auth: AuthSettings;
  readonly port: number;
  readonly host: string;
  /** Absolute path; exists and is writable once the config has loaded. */
  readonly dataDir: string;
  /** When set, the ledger runs on EventStoreDB instead of the embedded SQLite store. */
  readonly eventStoreConnectionString?: string;
  readonly logLevel: LogLevel;
  /** Where the projector commits its batches: a worker thread (default) keeps them off the requests' thread. */
  readonly projectorThread: ProjectorThreadMode;
  readonly bodyLimitBytes: number;
  /** How long a POST's Idempotency-Key is remembered (its response replayed), in hours. */
  readonly idempotencyTtlHours: number;
  /** Largest attachment (photo, scan, video) accepted in one upload. */
  readonly attachmentMaxBytes: number;
  /** Requests allowed per caller (verified token's subject, else client IP), over a minute and within a second. */
  readonly rateLimit: RateLimitConfig;
  /**
   * How many reverse proxies in front may name the client in `X-Forwarded-For` (Express's
   * `trust proxy` hop count), or false to ignore the header: a client could otherwise pick its address.
   */
  readonly trustProxy: number | false;
  /** Signed Merkle tree heads over the event log. */
  readonly evidence: EvidenceConfig;
  /** On SIGTERM/SIGINT, how long requests in flight may take to finish before their connections are cut. */
  readonly shutdownGraceMs: number;
  /** The key-encryption key of the personal-data keys (crypto-shredding); absent: generated in the data dir. */
  readonly personalData: PersonalDataConfig;
  /** How long personal data is kept once no case needs it, per category, and the worker that erases it. */
  readonly retention: RetentionConfig;
}

export interface EvidenceConfig {
  /** Absolute path of the Ed25519 signing key (PKCS#8 PEM); absent: generated in the data dir. */
  readonly signingKeyFile?: string;
  /** A new head is signed at most this often after new events (and at least hourly without). */
  readonly treeHeadIntervalSeconds: number;
  /**
   * The log's origin, first line of its checkpoints and name of its note key (LOG_ORIGIN); absent:
   * `seizure-custody-ledger/<first 16 hex digits of the log id>`, derived when the key is loaded.
   */
  readonly logOrigin?: string;
  /** Witnesses that cosign the checkpoints (WITNESS_CONFIG_FILE); absent: none, bundles as before. */
  readonly witnessing?: WitnessingConfig;
}

export interface RateLimitConfig {
  readonly perMinute: number;
  readonly burstPerSecond: number;
}

export const CONFIG_DEFAULTS = {
  port: 3000,
  // Only this machine by default: exposing the ledger to a network is a decision (HOST=0.0.0.0).
  host: '127.0.0.1',
  dataDir: './data',
  logLevel: 'log',
  projectorThread: 'worker',
  bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
  idempotencyTtlHours: DEFAULT_IDEMPOTENCY_TTL_HOURS,
  attachmentMaxBytes: DEFAULT_ATTACHMENT_MAX_BYTES,
  rateLimit: { perMinute: DEFAULT_RATE_LIMIT_PER_MINUTE, burstPerSecond: DEFAULT_RATE_LIMIT_BURST_PER_SECOND },
  trustProxy: false,
  evidence: { treeHeadIntervalSeconds: DEFAULT_TREE_HEAD_INTERVAL_SECONDS },
  shutdownGraceMs: DEFAULT_SHUTDOWN_GRACE_MS,
  personalData: {},
  retention: DEFAULT_RETENTION,
} as const satisfies Omit<AppConfig, 'eventStoreConnectionString' | 'auth'>;

function IsLogOrigin(): PropertyDecorator {
  return ValidateBy({
    name: 'isLogOrigin',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && logOriginProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) =>
        `${typeof args?.value === 'string' ? (logOriginProblem(args.value) ?? 'is invalid') : 'is invalid'} ${args ? got(args) : ''}`.trimEnd(),
    },
  });
}

function IsHostOrIp(): PropertyDecorator {
  return ValidateBy({
    name: 'isHostOrIp',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && (isIP(value) || isFQDN(value, { require_tld: false, allow_underscores: true })),
      defaultMessage: (args?: ValidationArguments) => `must be an IP address or a host name ${args ? got(args) : ''}`.trimEnd(),
    },
  });
}

const portMessage = (args: ValidationArguments): string => `must be an integer from 1 to 65535 ${got(args)}`;
const bodyLimitMessage = (args: ValidationArguments): string =>
  `must be an integer from ${MIN_BODY_LIMIT_BYTES} to ${MAX_BODY_LIMIT_BYTES} (16 MiB) ${got(args)}`;
const rangeMessage =
  (max: number) =>
  (args: ValidationArguments): string =>
    `must be an integer from 1 to ${max} ${got(args)}`;
const graceMessage = (args: ValidationArguments): string =>
  `must be an integer from 0 to ${MAX_SHUTDOWN_GRACE_MS} (milliseconds) ${got(args)}`;
const schemePattern = new RegExp(`^(${EVENTSTORE_SCHEMES.map((s) => s.replace('+', '\\+')).join('|')})://\\S+$`);

/** The raw environment, as class-validator sees it. Unset and empty variables are absent. */
class EnvironmentVariables {
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: portMessage })
  @Min(1, { message: portMessage })
  @Max(65535, { message: portMessage })
  PORT?: number;

  @IsOptional()
  @IsHostOrIp()
  HOST?: string;

  // Any path is acceptable here; existence and permissions are checked once it is resolved.
  @IsOptional()
  LEDGER_DATA_DIR?: string;

  // The value may hold credentials, so the message never echoes it.
  @IsOptional()
  @Matches(schemePattern, {
    message: `must start with ${EVENTSTORE_SCHEMES.map((s) => `${s}://`).join(', ')} and name a host`,
  })
  EVENTSTORE_CONNECTION_STRING?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS, { message: (args) => `must be one of ${LOG_LEVELS.join(', ')} ${got(args)}` })
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @IsIn(PROJECTOR_THREADS, { message: (args) => `must be one of ${PROJECTOR_THREADS.join(', ')} ${got(args)}` })
  PROJECTOR_THREAD?: ProjectorThreadMode;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: bodyLimitMessage })
  @Min(MIN_BODY_LIMIT_BYTES, { message: bodyLimitMessage })
  @Max(MAX_BODY_LIMIT_BYTES, { message: bodyLimitMessage })
  BODY_LIMIT_BYTES?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: rangeMessage(MAX_IDEMPOTENCY_TTL_HOURS) })
  @Min(1, { message: rangeMessage(MAX_IDEMPOTENCY_TTL_HOURS) })
  @Max(MAX_IDEMPOTENCY_TTL_HOURS, { message: rangeMessage(MAX_IDEMPOTENCY_TTL_HOURS) })
  IDEMPOTENCY_TTL_HOURS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: rangeMessage(MAX_ATTACHMENT_MAX_BYTES) })
  @Min(1, { message: rangeMessage(MAX_ATTACHMENT_MAX_BYTES) })
  @Max(MAX_ATTACHMENT_MAX_BYTES, { message: rangeMessage(MAX_ATTACHMENT_MAX_BYTES) })
  ATTACHMENT_MAX_BYTES?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: rangeMessage(MAX_RATE_LIMIT_PER_MINUTE) })
  @Min(1, { message: rangeMessage(MAX_RATE_LIMIT_PER_MINUTE) })
  @Max(MAX_RATE_LIMIT_PER_MINUTE, { message: rangeMessage(MAX_RATE_LIMIT_PER_MINUTE) })
  RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: rangeMessage(MAX_RATE_LIMIT_BURST_PER_SECOND) })
  @Min(1, { message: rangeMessage(MAX_RATE_LIMIT_BURST_PER_SECOND) })
  @Max(MAX_RATE_LIMIT_BURST_PER_SECOND, { message: rangeMessage(MAX_RATE_LIMIT_BURST_PER_SECOND) })
  RATE_LIMIT_BURST_PER_SECOND?: number;

  @IsOptional()
  @Matches(/^(false|[1-9]|[1-2][0-9]|3[0-2])$/, {
    message: (args: ValidationArguments) => `must be false or a number of proxies from 1 to ${MAX_TRUSTED_PROXIES} ${got(args)}`,
  })
  TRUST_PROXY?: string;

  // Any path is acceptable here; the key is read (and its type checked) when the evidence module starts.
  @IsOptional()
  EVIDENCE_SIGNING_KEY_FILE?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: rangeMessage(MAX_TREE_HEAD_INTERVAL_SECONDS) })
  @Min(1, { message: rangeMessage(MAX_TREE_HEAD_INTERVAL_SECONDS) })
  @Max(MAX_TREE_HEAD_INTERVAL_SECONDS, { message: rangeMessage(MAX_TREE_HEAD_INTERVAL_SECONDS) })
  TREE_HEAD_INTERVAL_SECONDS?: number;

  @IsOptional()
  @IsLogOrigin()
  LOG_ORIGIN?: string;
  // 0 is allowed: stop at once, cutting whatever is in flight (each append is all or nothing).
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: graceMessage })
  @Min(0, { message: graceMessage })
  @Max(MAX_SHUTDOWN_GRACE_MS, { message: graceMessage })
  SHUTDOWN_GRACE_MS?: number;

  // Read, and each witness checked, by readWitnessSettings once the path is known.
  @IsOptional()
  WITNESS_CONFIG_FILE?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: rangeMessage(1000) })
  @Min(1, { message: rangeMessage(1000) })
  @Max(1000, { message: rangeMessage(1000) })
  WITNESS_QUORUM?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: rangeMessage(MAX_WITNESS_TIMEOUT_MS) })
  @Min(1, { message: rangeMessage(MAX_WITNESS_TIMEOUT_MS) })
  @Max(MAX_WITNESS_TIMEOUT_MS, { message: rangeMessage(MAX_WITNESS_TIMEOUT_MS) })
  WITNESS_TIMEOUT_MS?: number;
}

const VARIABLES = [
  'PORT',
  'HOST',
  'LEDGER_DATA_DIR',
  'EVENTSTORE_CONNECTION_STRING',
  'LOG_LEVEL',
  'PROJECTOR_THREAD',
  'BODY_LIMIT_BYTES',
  'IDEMPOTENCY_TTL_HOURS',
  'ATTACHMENT_MAX_BYTES',
  'RATE_LIMIT_PER_MINUTE',
  'RATE_LIMIT_BURST_PER_SECOND',
  'TRUST_PROXY',
  'EVIDENCE_SIGNING_KEY_FILE',
  'TREE_HEAD_INTERVAL_SECONDS',
  'LOG_ORIGIN',
  'SHUTDOWN_GRACE_MS',
  'WITNESS_CONFIG_FILE',
  'WITNESS_QUORUM',
  'WITNESS_TIMEOUT_MS',
] as const satisfies readonly (keyof EnvironmentVariables)[];

/**
 * Reads and validates the configuration once, at start-up, and prepares the data directory
 * (created with mode 0700 when missing). Throws ConfigError listing every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): AppConfig {
  const { values: vars, problems } = readEnvironment(env, EnvironmentVariables, VARIABLES);

  const dataDir = resolve(cwd, vars.LEDGER_DATA_DIR ?? CONFIG_DEFAULTS.dataDir);
  const dataDirProblem = prepareDataDir(dataDir);
  if (dataDirProblem) problems.push({ variable: 'LEDGER_DATA_DIR', reason: dataDirProblem });

  const auth = readAuthSettings(env, dataDir);
  problems.push(...auth.problems);

  const personalData = readPersonalDataSettings(env, cwd);
  problems.push(...personalData.problems);

  const signingKeyFile = vars.EVIDENCE_SIGNING_KEY_FILE !== undefined ? resolve(cwd, vars.EVIDENCE_SIGNING_KEY_FILE) : undefined;
  if (!dataDirProblem) problems.push(...privateFileProblems(privateFiles(dataDir, auth.settings, signingKeyFile, personalData.settings)));

  const witnessing = readWitnessSettings(vars, cwd);
  problems.push(...witnessing.problems);

  const retention = readRetentionSettings(env);
  problems.push(...retention.problems);

  if (problems.length > 0 || !auth.settings) throw new ConfigError(problems);

  return Object.freeze({
    auth: auth.settings,
    port: vars.PORT ?? CONFIG_DEFAULTS.port,
    host: vars.HOST ?? CONFIG_DEFAULTS.host,
    dataDir,
    ...(vars.EVENTSTORE_CONNECTION_STRING !== undefined && {
      eventStoreConnectionString: vars.EVENTSTORE_CONNECTION_STRING,
    }),
    logLevel: vars.LOG_LEVEL ?? CONFIG_DEFAULTS.logLevel,
    projectorThread: vars.PROJECTOR_THREAD ?? CONFIG_DEFAULTS.projectorThread,
    bodyLimitBytes: vars.BODY_LIMIT_BYTES ?? CONFIG_DEFAULTS.bodyLimitBytes,
    idempotencyTtlHours: vars.IDEMPOTENCY_TTL_HOURS ?? CONFIG_DEFAULTS.idempotencyTtlHours,
    attachmentMaxBytes: vars.ATTACHMENT_MAX_BYTES ?? CONFIG_DEFAULTS.attachmentMaxBytes,
    rateLimit: Object.freeze({
      perMinute: vars.RATE_LIMIT_PER_MINUTE ?? CONFIG_DEFAULTS.rateLimit.perMinute,
      burstPerSecond: vars.RATE_LIMIT_BURST_PER_SECOND ?? CONFIG_DEFAULTS.rateLimit.burstPerSecond,
    }),
    trustProxy: vars.TRUST_PROXY === undefined || vars.TRUST_PROXY === 'false' ? CONFIG_DEFAULTS.trustProxy : Number(vars.TRUST_PROXY),
    evidence: Object.freeze({
      ...(signingKeyFile !== undefined && { signingKeyFile }),
      treeHeadIntervalSeconds: vars.TREE_HEAD_INTERVAL_SECONDS ?? CONFIG_DEFAULTS.evidence.treeHeadIntervalSeconds,
      ...(vars.LOG_ORIGIN !== undefined && { logOrigin: vars.LOG_ORIGIN }),
      ...(witnessing.settings !== undefined && { witnessing: witnessing.settings }),
    }),
    shutdownGraceMs: vars.SHUTDOWN_GRACE_MS ?? CONFIG_DEFAULTS.shutdownGraceMs,
    personalData: personalData.settings,
    retention: retention.settings,
  });
}

/** Every secret or private key the server reads; any added later belongs here too. */
function privateFiles(
  dataDir: string,
  auth: AuthSettings | undefined,
  signingKeyFile: string | undefined,
  personalData: PersonalDataConfig,
): PrivateFile[] {
  const files: PrivateFile[] = [];
  if (auth?.key.kind === 'generated-secret') files.push({ variable: 'JWT_SECRET', label: 'JWT secret', path: auth.key.file });
  files.push({
    variable: 'EVIDENCE_SIGNING_KEY_FILE',
    label: 'evidence signing key',
    path: signingKeyFile ?? join(dataDir, GENERATED_SIGNING_KEY_FILE),
  });
  if (personalData.kek === undefined) {
    files.push({
      variable: 'PERSONAL_DATA_KEK_FILE',
      label: 'personal-data key-encryption key',
      path: personalData.kekFile ?? join(dataDir, GENERATED_KEK_FILE),
    });
  }
  files.push({ variable: 'LEDGER_DATA_DIR', label: 'idempotency secret', path: join(dataDir, IDEMPOTENCY_SECRET_FILE) });
  return files;
}

/** Returns why the directory cannot hold the ledger, or undefined when it can. */
function prepareDataDir(dir: string): string | undefined {
  try {
    const stats = statSync(dir, { throwIfNoEntry: false });
    if (!stats) {
      // 0700: the ledger holds evidence records; other local users have no business reading them.
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } else if (!stats.isDirectory()) {
      return `${dir} exists and is not a directory`;
    } else {
      const modeProblem = dataDirModeProblem(dir, stats.mode);
      if (modeProblem) return modeProblem;
    }
    accessSync(dir, fsConstants.W_OK | fsConstants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `${dir} is not writable (${code})`;
    return `${dir} cannot be used: ${(error as Error).message}`;
  }
}
