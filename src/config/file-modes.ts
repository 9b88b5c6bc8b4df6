import { chmodSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where the evidence signing key is generated when EVIDENCE_SIGNING_KEY_FILE is not set. */
export const GENERATED_SIGNING_KEY_FILE = 'evidence-signing-key.pem';

/** The secret that keys the idempotency records' fingerprints and encrypts their responses. */
export const IDEMPOTENCY_SECRET_FILE = 'idempotency-secret';

/** A file that must stay private to the server's user: a secret or a private key. */
export interface PrivateFile {
  /** The variable an operator would look at, for the configuration error. */
  readonly variable: string;
  /** What the file is, in an operator's words ("evidence signing key"). */
  readonly label: string;
  readonly path: string;
}

const octal = (mode: number): string => (mode & 0o777).toString(8).padStart(4, '0');

function whoElse(bits: number): string {
  const group = (bits & 0o070) !== 0;
  const others = (bits & 0o007) !== 0;
  return group && others ? 'group and others' : group ? 'group' : 'others';
}

/**
 * Like ssh with private keys: a secret that other users can read is no longer a secret, and
 * quietly fixing its mode would hide that it may already have leaked. Returns, for each existing
 * file open to group or others, what is wrong and the command that fixes it.
 */
export function privateFileProblems(files: readonly PrivateFile[]): { variable: string; reason: string }[] {
  if (process.platform === 'win32') return [];
  const problems: { variable: string; reason: string }[] = [];
  for (const { variable, label, path } of files) {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats || (stats.mode & 0o077) === 0) continue;
    const verb = (stats.mode & 0o044) !== 0 ? 'readable' : 'accessible';
    problems.push({
      variable,
      reason: `${label} ${path} is ${verb} by ${whoElse(stats.mode & 0o077)} (mode ${octal(stats.mode)}); run: chmod 600 ${path}`,
    });
  }
  return problems;
}

/** Another user who can write the data dir can swap the ledger's files; returns why, or undefined. */
export function dataDirModeProblem(dir: string, mode: number): string | undefined {
  if (process.platform === 'win32' || (mode & 0o022) === 0) return undefined;
  return `${dir} is writable by ${whoElse(mode & 0o022)} (mode ${octal(mode)}); run: chmod 700 ${dir}`;
}

/**
 * A data dir made by an earlier release may hold files readable by every local user (0644 under
 * the usual umask). Removes the group and other bits from the dir and everything under it,
 * keeping the owner's (a read-only attachment stays read-only), and reports each change.
 * Symbolic links are neither followed nor changed.
 */
export function tightenDataFileModes(dir: string, log: (message: string) => void): void {
  if (process.platform === 'win32') return;
  const visit = (path: string): void => {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) return;
    if ((stats.mode & 0o077) !== 0) {
      const tightened = stats.mode & 0o700;
      chmodSync(path, tightened);
      log(`tightened the mode of ${path} from ${octal(stats.mode)} to ${octal(tightened)}`);
    }
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
}
