import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationArguments } from 'class-validator';

/** One bad environment variable and why, in words an operator can act on. */
export interface ConfigProblem {
  variable: string;
  reason: string;
}

/** Start-up must stop on this; its message names every bad variable and is safe to print. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(['Invalid configuration:', ...problems.map((p) => `  ${p.variable}: ${p.reason}`)].join('\n'));
    this.name = 'ConfigError';
  }
}

/** Quotes the rejected value in a message; never use it for variables that may hold secrets. */
export const got = (args: ValidationArguments): string => `(got ${JSON.stringify(args.value)})`;

/** Keeps non-digit input as the original string so that IsInt rejects it and the message quotes it. */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;

export interface EnvironmentReading<T> {
  readonly values: T;
  /** Every bad variable, each with the first rule it broke. */
  readonly problems: ConfigProblem[];
}

/**
 * Reads the named variables into an instance of `schema`, a class whose properties are the
 * variables and whose class-validator decorators are their parsers and ranges. Unset and blank
 * variables are absent, so `PORT=` in a compose file falls back to the default instead of failing.
 */
export function readEnvironment<T extends object, K extends keyof T & string>(
  env: NodeJS.ProcessEnv,
  schema: new () => T,
  variables: readonly K[],
): EnvironmentReading<T> {
  const raw: Partial<Record<K, string>> = {};
  for (const name of variables) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') raw[name] = value;
  }
  const values = plainToInstance(schema, raw);
  const problems = validateSync(values, { stopAtFirstError: true }).map((error) => ({
    variable: error.property,
    reason: Object.values(error.constraints ?? {})[0] ?? 'is invalid',
  }));
  return { values, problems };
}
