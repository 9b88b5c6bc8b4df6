import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { actorFromClaims } from '../../auth/actor-claims';
import { AuthConfig, AuthConfigError, loadAuthConfig } from '../../auth/auth-config';
import {
  DEFAULT_TOKEN_TTL_SECONDS,
  IssuingDisabledError,
  MAX_TOKEN_TTL_SECONDS,
  TokenIssuer,
  TokenRequestError,
} from '../../auth/token-issuer';
import { AGENCIES, ROLES } from '../../shared/actor';
import { CliCommand, CliFailure, CliIo, EXIT_OK, UsageError } from '../cli-command';

/** Same default as the server's LEDGER_DATA_DIR, so both find the same generated secret. */
const DEFAULT_DATA_DIR = './data';

const OPTIONS = {
  sub: { type: 'string' },
  name: { type: 'string' },
  roles: { type: 'string', multiple: true },
  unit: { type: 'string' },
  agency: { type: 'string' },
  national: { type: 'boolean' },
  states: { type: 'string', multiple: true },
  districts: { type: 'string', multiple: true },
  ttl: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: seizure-ledger token --sub <id> --name <name> --roles <role,...> --unit <unit>
                            --agency <agency> (--national | --states <codes> | --districts <codes>)
                            [--ttl <duration>]

Signs an HS256 bearer token for local use and prints only the token, so that
  TOKEN=$(npm run -s cli -- token ...)
captures it. Uses JWT_SECRET, or the secret generated in $LEDGER_DATA_DIR/jwt-secret
(default ${DEFAULT_DATA_DIR}); refuses when JWT_PUBLIC_KEY(_FILE) is set, as tokens then
come from the identity provider.

Options:
  --sub <id>            stable user id, e.g. u-17
  --name <name>         display name, e.g. "Asha Verma"
  --roles <list>        comma-separated: ${ROLES.join(', ')}
  --unit <unit>         team or office acted for, e.g. FS-VNS-03
  --agency <agency>     one of: ${AGENCIES.join(', ')}
  --national            scope: the whole country
  --states <codes>      scope: comma-separated state codes, e.g. UP,BR
  --districts <codes>   scope: comma-separated district codes, e.g. UP-VNS
  --ttl <duration>      lifetime: seconds, or a number with s, m, h or d (default 8h, at most 30d)
  -h, --help            show this help
`;

const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** "3600", "90s", "30m", "8h", "7d" → seconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^([0-9]{1,9})([smhd]?)$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_SECONDS[match[2]];
}

/** `--roles a,b --roles c` → [a, b, c]. */
function list(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: false }>>['values'];

function parse(args: readonly string[]): Values {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs reports unknown options, missing values and stray arguments as ERR_PARSE_ARGS_* errors.
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS_')) throw new UsageError((error as Error).message);
    throw error;
  }
}

function scopeClaim(values: Values): Record<string, unknown> {
  const states = list(values.states);
  const districts = list(values.districts);
  const listed = states !== undefined || districts !== undefined;
  if (values.national === true && listed) throw new UsageError('give either --national or --states/--districts, not both');
  if (values.national === true) return { national: true };
  if (!listed) throw new UsageError('give the scope: --national, or --states and/or --districts');
  return { states: states ?? [], districts: districts ?? [] };
}

/** 'claim "scope.states" has …' → '--states has …': name what the user typed. */
function asOptionProblem(problem: string): string {
  return problem.replace(/missing claim "(\w+)"/, 'missing --$1').replace(/claim "(?:scope\.)?(\w+)"/, '--$1');
}

function loadConfig(io: CliIo): AuthConfig {
  const configured = io.env.LEDGER_DATA_DIR;
  const dataDir = resolve(io.cwd, configured !== undefined && configured.trim() !== '' ? configured : DEFAULT_DATA_DIR);
  try {
    return loadAuthConfig(io.env, dataDir, (message) => io.stderr(`${message}\n`));
  } catch (error) {
    if (error instanceof AuthConfigError) throw new CliFailure(error.message);
    throw error;
  }
}

function run(args: readonly string[], io: CliIo): number {
  const values = parse(args);
  if (values.help === true) {
    io.stdout(USAGE);
    return EXIT_OK;
  }

  const missing = (['sub', 'name', 'roles', 'unit', 'agency'] as const).filter((option) => values[option] === undefined);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((option) => `--${option}`).join(', ')}`);

  const ttlSeconds = values.ttl === undefined ? DEFAULT_TOKEN_TTL_SECONDS : parseDuration(values.ttl);
  if (ttlSeconds === undefined || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
    throw new UsageError(`--ttl must be a duration such as 3600, 30m, 8h or 7d, from 1s to 30d (got ${JSON.stringify(values.ttl)})`);
  }

  // Checked before any configuration is read, so a typo never creates a secret file.
  const checked = actorFromClaims({
    sub: values.sub,
    name: values.name,
    roles: list(values.roles),
    unit: values.unit,
    agency: values.agency,
    scope: scopeClaim(values),
  });
  if (!checked.ok) throw new UsageError(checked.problems.map(asOptionProblem).join('; '));

  const config = loadConfig(io);
  try {
    io.stdout(`${new TokenIssuer(config).issue({ ...checked.actor, ttlSeconds })}\n`);
  } catch (error) {
    if (error instanceof IssuingDisabledError) throw new CliFailure(error.message);
    if (error instanceof TokenRequestError) throw new UsageError(error.problems.join('; '));
    throw error;
  }
  return EXIT_OK;
}

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'sign a bearer token for local use (prints only the token)',
  usage: USAGE,
  run,
};
