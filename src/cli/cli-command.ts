/** The contract between the CLI dispatcher (main.ts) and each command in ./commands. */

export const EXIT_OK = 0;
/** The command ran and failed: bad configuration, an unreachable store, a refused operation. */
export const EXIT_FAILURE = 1;
/** The command line itself is wrong; nothing was done. */
export const EXIT_USAGE = 2;

/** Where a command reads its environment and writes its output; tests pass their own. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Results only, so that `X=$(seizure-ledger …)` captures exactly the result. */
  stdout(text: string): void;
  /** Diagnostics and progress. */
  stderr(text: string): void;
}

export interface CliCommand {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full help text, printed by `<command> --help` and after a usage error. */
  readonly usage: string;
  /** Resolves to the exit code; throws UsageError (exit 2) or CliFailure (exit 1). */
  run(args: readonly string[], io: CliIo): Promise<number> | number;
}

/** The arguments are wrong; the message says which and is shown with a pointer to --help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An expected failure whose message is written for the operator; no stack trace is shown. */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}
