import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');

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
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/cli/main.ts', ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: 'true' },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
