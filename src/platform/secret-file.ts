import { randomBytes } from 'node:crypto';
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
import { basename, dirname, join } from 'node:path';

/** A secret kept in a file of its own, generated on first start and read on every later one. */
export interface SecretFile {
  readonly path: string;
  readonly content: string;
  /** True when this call generated the file; callers log that, never the content. */
  readonly created: boolean;
  /** Permission bits of the file as found on disk (0600 when just created). */
  readonly mode: number;
}

/** The path exists but cannot hold a secret; the message is safe to show an operator. */
export class SecretFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretFileError';
  }
}

const SECRET_MODE = 0o600;

/**
 * Reads the secret at `path`, or creates it with `generate()` when it does not exist yet.
 *
 * The new secret is written to a temporary file (O_EXCL, mode exactly 0600 whatever the umask,
 * fsynced) and hard-linked into place, so a reader never sees a partial file and processes
 * starting at once agree on one secret: every link but the first fails with EEXIST, and those
 * callers adopt the winner's. The directory (created 0700 when missing) is fsynced so that the
 * new entry survives a power loss. Throws SecretFileError, or the file system's error.
 */
export function readOrCreateSecretFile(path: string, generate: () => string): SecretFile {
  const existing = readExisting(path);
  if (existing !== undefined) return existing;
  const created = createOnce(path, generate());
  if (created) return { path, content: created, created: true, mode: SECRET_MODE };
  // Another process linked its secret between our read and our link: adopt it.
  const winner = readExisting(path);
  if (winner === undefined) throw new SecretFileError(`${path} vanished while being created`);
  return winner;
}

function readExisting(path: string): SecretFile | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return undefined;
  if (!stats.isFile()) throw new SecretFileError(`${path} exists and is not a regular file`);
  return { path, content: readFileSync(path, 'utf8'), created: false, mode: stats.mode & 0o777 };
}

/** Returns the content when this call created the file, undefined when another process won. */
function createOnce(path: string, content: string): string | undefined {
  const dir = dirname(path);
  // 0700 like the data directory itself; a no-op when it already exists.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  writeDurably(temporary, content);
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
  syncDirectory(dir);
  return content;
}

function writeDurably(path: string, content: string): void {
  const fd = openSync(path, 'wx', SECRET_MODE);
  try {
    fchmodSync(fd, SECRET_MODE); // the umask may have removed bits, never added them; this makes it exact
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
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
