import { existsSync, readFileSync } from 'node:fs';

/**
 * Which of the files hold the marker's UTF-8 bytes anywhere in them (missing files are skipped).
 * A byte scan, not a query: it also sees free pages, WAL frames and anything else SQLite left.
 */
export function filesHolding(marker: string, paths: readonly string[]): string[] {
  const needle = Buffer.from(marker, 'utf8');
  return paths.filter((path) => existsSync(path) && readFileSync(path).includes(needle));
}

/** An SQLite file with its WAL and shared-memory index: every place its bytes may sit. */
export const withSidecars = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`];
