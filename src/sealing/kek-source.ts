import { randomBytes, createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateFileProblems } from '../config/file-modes';
import { decodeKek, GENERATED_KEK_FILE, KEK_BYTES, type PersonalDataConfig } from '../config/personal-data-settings';
import { readOrCreateSecretFile } from '../platform/secret-file';

export { GENERATED_KEK_FILE };

/** The key-encryption key and where it came from, in an operator's words (never the key). */
export interface KekSource {
  readonly kek: KeyObject;
  /** E.g. "PERSONAL_DATA_KEK", "PERSONAL_DATA_KEK_FILE /etc/ledger/kek". */
  readonly source: string;
  /** True when this start generated it into the data dir. */
  readonly created: boolean;
}

/** The KEK cannot be read or is not a KEK; the message names the setting and is safe to show. */
export class KekError extends Error {
  override readonly name = 'KekError';
}

const FORMAT_HINT = `the base64 of exactly ${KEK_BYTES} bytes (e.g. \`openssl rand -base64 32\`)`;

/**
 * The KEK from PERSONAL_DATA_KEK, else from PERSONAL_DATA_KEK_FILE, else from
 * `<dataDir>/personal-data-kek`, generated on first start by the write-once secret file (mode
 * 0600, fsynced with its directory), like the JWT secret and the evidence signing key.
 */
export function loadKek(config: PersonalDataConfig, dataDir: string): KekSource {
  if (config.kek !== undefined) return { kek: config.kek, source: 'PERSONAL_DATA_KEK', created: false };
  const path = config.kekFile ?? join(dataDir, GENERATED_KEK_FILE);
  const source = config.kekFile !== undefined ? `PERSONAL_DATA_KEK_FILE ${path}` : `the generated ${path}`;
  // Start-up refuses this already; checked again for every other way in (tools, tests).
  const [exposed] = privateFileProblems([{ variable: 'PERSONAL_DATA_KEK_FILE', label: 'personal-data key-encryption key', path }]);
  if (exposed) throw new KekError(exposed.reason);
  let text: string;
  let created = false;
  if (config.kekFile !== undefined) {
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new KekError(`PERSONAL_DATA_KEK_FILE ${path} cannot be read: ${(error as Error).message}`, { cause: error });
    }
  } else {
    const file = readOrCreateSecretFile(path, () => `${randomBytes(KEK_BYTES).toString('base64')}\n`);
    text = file.content;
    created = file.created;
  }
  const bytes = decodeKek(text);
  if (bytes === undefined) {
    const fix = config.kekFile !== undefined ? '' : '; restore it from the backup of the data dir, or set PERSONAL_DATA_KEK_FILE';
    throw new KekError(`${source} must hold ${FORMAT_HINT}${fix}`);
  }
  const kek = createSecretKey(bytes);
  bytes.fill(0);
  return { kek, source, created };
}
