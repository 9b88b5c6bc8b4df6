import { createSecretKey, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import { IsOptional, ValidateBy } from 'class-validator';
import { readEnvironment, type ConfigProblem } from './env-schema';

/** Bytes of the key-encryption key (AES-256). */
export const KEK_BYTES = 32;
/** Where the key-encryption key is generated when neither PERSONAL_DATA_KEK nor PERSONAL_DATA_KEK_FILE is set. */
export const GENERATED_KEK_FILE = 'personal-data-kek';

/**
 * Where the key-encryption key (KEK) that wraps the personal-data keys comes from. With neither
 * set, it is generated into `<dataDir>/personal-data-kek` on first start; the sealing module
 * reads or creates the file, as the auth module does the JWT secret.
 */
export interface PersonalDataConfig {
  /** From PERSONAL_DATA_KEK; a KeyObject, so that logging the config shows no key material. */
  readonly kek?: KeyObject;
  /** Absolute path from PERSONAL_DATA_KEK_FILE: base64 of 32 bytes, read when the sealing module starts. */
  readonly kekFile?: string;
}

/** Strict base64 (padding as written by `openssl rand -base64 32`) of exactly `bytes` bytes. */
export function decodeKek(text: string, bytes = KEK_BYTES): Buffer | undefined {
  const clean = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(clean, 'base64');
  return decoded.length === bytes ? decoded : undefined;
}

function IsKek(): PropertyDecorator {
  return ValidateBy({
    name: 'isKek',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && decodeKek(value) !== undefined,
      // Never quotes the value: it is a secret.
      defaultMessage: () => `must be the base64 of exactly ${KEK_BYTES} random bytes (e.g. \`openssl rand -base64 32\`)`,
    },
  });
}

class PersonalDataEnvironmentVariables {
  @IsOptional()
  @IsKek()
  PERSONAL_DATA_KEK?: string;

  // Any path is acceptable here; the file is read (and its content checked) when the sealing module starts.
  @IsOptional()
  PERSONAL_DATA_KEK_FILE?: string;
}

const VARIABLES = ['PERSONAL_DATA_KEK', 'PERSONAL_DATA_KEK_FILE'] as const satisfies readonly (keyof PersonalDataEnvironmentVariables)[];

/** Reads and checks the KEK settings; a relative file is resolved against `cwd`. */
export function readPersonalDataSettings(env: NodeJS.ProcessEnv, cwd: string): { settings: PersonalDataConfig; problems: ConfigProblem[] } {
  const { values, problems } = readEnvironment(env, PersonalDataEnvironmentVariables, VARIABLES);
  if (values.PERSONAL_DATA_KEK !== undefined && values.PERSONAL_DATA_KEK_FILE !== undefined) {
    problems.push({ variable: 'PERSONAL_DATA_KEK', reason: 'set either PERSONAL_DATA_KEK or PERSONAL_DATA_KEK_FILE, not both' });
  }
  const kek = values.PERSONAL_DATA_KEK !== undefined ? decodeKek(values.PERSONAL_DATA_KEK) : undefined;
  const settings: PersonalDataConfig = Object.freeze({
    ...(kek !== undefined && { kek: createSecretKey(kek) }),
    ...(values.PERSONAL_DATA_KEK_FILE !== undefined && { kekFile: resolve(cwd, values.PERSONAL_DATA_KEK_FILE) }),
  });
  return { settings, problems };
}
