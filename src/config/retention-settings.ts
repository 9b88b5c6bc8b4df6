import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, type ValidationArguments } from 'class-validator';
import { got, readEnvironment, toInteger, type ConfigProblem } from './env-schema';

/** The categories of personal data a retention period is set for; every data subject belongs to one. */
export const RETENTION_CATEGORIES = ['seized-from', 'witness', 'release-recipient', 'free-text'] as const;
export type RetentionCategory = (typeof RETENTION_CATEGORIES)[number];

/**
 * Default retention in whole Indian days, counted from the day the retention clock starts (every
 * case closed, nothing held; see custody/cases.ts):
 * - seized-from and release-recipient: the Limitation Act 1963 gives three years for a suit to
 *   recover seized money or goods, or over their wrongful delivery; 1096 days is three years
 *   with a leap day, so the period never ends before the limitation period;
 * - witness: a witness is needed while the seizure may be contested again: appeals and revisions
 *   run 90 days (Limitation Act, articles 114, 115, 131), a year leaves room for condonation of delay;
 * - free-text: remarks may name anyone, the person seized from included, so the longest period.
 */
export const DEFAULT_RETENTION_DAYS: Readonly<Record<RetentionCategory, number>> = Object.freeze({
  'seized-from': 1096,
  witness: 365,
  'release-recipient': 1096,
  'free-text': 1096,
});
/** A hundred years: anything longer is a typo, and keeping data for ever is not a retention period. */
export const MAX_RETENTION_DAYS = 36_500;
export const DEFAULT_RETENTION_INTERVAL_SECONDS = 3600;
export const MAX_RETENTION_INTERVAL_SECONDS = 86_400;

export interface RetentionConfig {
  /** Days after the retention clock's Indian day on which each category's data falls due for erasure. */
  readonly days: Readonly<Record<RetentionCategory, number>>;
  /** Whether the retention worker erases due data by itself (RETENTION_AUTO_ERASE); when false it only lists it. */
  readonly autoErase: boolean;
  /** How often the worker looks for due erasures and erasures to carry out again (RETENTION_INTERVAL_SECONDS). */
  readonly intervalSeconds: number;
}

type DaysVariable =
  'RETENTION_DAYS_SEIZED_FROM' | 'RETENTION_DAYS_WITNESS' | 'RETENTION_DAYS_RELEASE_RECIPIENT' | 'RETENTION_DAYS_FREE_TEXT';

/** The variable that sets each category's retention. */
export const RETENTION_DAYS_VARIABLES: Readonly<Record<RetentionCategory, DaysVariable>> = {
  'seized-from': 'RETENTION_DAYS_SEIZED_FROM',
  witness: 'RETENTION_DAYS_WITNESS',
  'release-recipient': 'RETENTION_DAYS_RELEASE_RECIPIENT',
  'free-text': 'RETENTION_DAYS_FREE_TEXT',
};

// 0 is refused, not read as "erase at once": an unset or zeroed variable must never erase on the day a case closes.
const daysMessage = (args: ValidationArguments): string =>
  `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (0 is refused: to stop automatic erasure set RETENTION_AUTO_ERASE=false) ${got(args)}`;
const intervalMessage = (args: ValidationArguments): string =>
  `must be an integer from 1 to ${MAX_RETENTION_INTERVAL_SECONDS} (seconds) ${got(args)}`;

function Days(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    Transform(toInteger)(target, key);
    IsInt({ message: daysMessage })(target, key);
    Min(1, { message: daysMessage })(target, key);
    Max(MAX_RETENTION_DAYS, { message: daysMessage })(target, key);
  };
}

class RetentionEnvironmentVariables {
  @Days()
  RETENTION_DAYS_SEIZED_FROM?: number;

  @Days()
  RETENTION_DAYS_WITNESS?: number;

  @Days()
  RETENTION_DAYS_RELEASE_RECIPIENT?: number;

  @Days()
  RETENTION_DAYS_FREE_TEXT?: number;

  @IsOptional()
  @IsIn(['true', 'false'], { message: (args: ValidationArguments) => `must be true or false ${got(args)}` })
  RETENTION_AUTO_ERASE?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: intervalMessage })
  @Min(1, { message: intervalMessage })
  @Max(MAX_RETENTION_INTERVAL_SECONDS, { message: intervalMessage })
  RETENTION_INTERVAL_SECONDS?: number;
}

const VARIABLES = [
  'RETENTION_DAYS_SEIZED_FROM',
  'RETENTION_DAYS_WITNESS',
  'RETENTION_DAYS_RELEASE_RECIPIENT',
  'RETENTION_DAYS_FREE_TEXT',
  'RETENTION_AUTO_ERASE',
  'RETENTION_INTERVAL_SECONDS',
] as const satisfies readonly (keyof RetentionEnvironmentVariables)[];

export const DEFAULT_RETENTION: RetentionConfig = Object.freeze({
  days: DEFAULT_RETENTION_DAYS,
  autoErase: true,
  intervalSeconds: DEFAULT_RETENTION_INTERVAL_SECONDS,
});

/** Reads and checks the retention settings; every bad variable is a problem, each named. */
export function readRetentionSettings(env: NodeJS.ProcessEnv): { settings: RetentionConfig; problems: ConfigProblem[] } {
  const { values, problems } = readEnvironment(env, RetentionEnvironmentVariables, VARIABLES);
  const days = Object.fromEntries(
    RETENTION_CATEGORIES.map((category) => [category, values[RETENTION_DAYS_VARIABLES[category]] ?? DEFAULT_RETENTION_DAYS[category]]),
  ) as Record<RetentionCategory, number>;
  const settings: RetentionConfig = Object.freeze({
    days: Object.freeze(days),
    autoErase: values.RETENTION_AUTO_ERASE === undefined ? DEFAULT_RETENTION.autoErase : values.RETENTION_AUTO_ERASE === 'true',
    intervalSeconds: values.RETENTION_INTERVAL_SECONDS ?? DEFAULT_RETENTION.intervalSeconds,
  });
  return { settings, problems };
}
