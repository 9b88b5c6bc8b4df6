import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');

/**
 * Node arguments that run a .ts entry point from the sources: `node ...FROM_SOURCES src/main.ts`.
 * Transpiled as by ts-node's transpile-only mode, but cached across processes (register-ts.cjs),
 * so a test that starts many CLI or server processes pays for TypeScript once.
 */
export const FROM_SOURCES: readonly string[] = ['-r', resolve(PROJECT_ROOT, 'test/support/register-ts.cjs')];

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `seizure-ledger <args>` from the sources in a child process, as a user would, and waits for it. */
export function runCli(...args: string[]): CliRun {
  return runCliWith({}, ...args);
}

/** The same, with these variables set over the test runner's (e.g. LEDGER_DATA_DIR). */
export function runCliWith(env: NodeJS.ProcessEnv, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [...FROM_SOURCES, 'src/cli/main.ts', ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
