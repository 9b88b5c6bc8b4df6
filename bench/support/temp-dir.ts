import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A fresh folder for one phase inside the run's own temp folder (which the bench removes even when
 * interrupted), removed however the phase ends.
 */
export async function withTempDir<T>(parent: string, prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(parent, `${prefix}-`));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
