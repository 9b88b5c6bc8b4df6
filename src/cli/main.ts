#!/usr/bin/env node
import { CliCommand, CliFailure, CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './cli-command';
import { printCommand } from './commands/print.command';
import { rebuildCommand } from './commands/rebuild.command';
import { rotateSigningKeyCommand } from './commands/rotate-signing-key.command';
import { tokenCommand } from './commands/token.command';
import { verifyCommand, verifyHeadsCommand } from './commands/verify.command';
import { verifyStoreCommand } from './commands/verify-store.command';
import { witnessCommand } from './commands/witness.command';

export const PROGRAM = 'seizure-ledger';

/** Every command by name. A new command is a module in ./commands plus one entry here. */
export const COMMANDS: ReadonlyMap<string, CliCommand> = new Map(
  [
    tokenCommand,
    verifyStoreCommand,
    rebuildCommand,
    verifyCommand,
    verifyHeadsCommand,
    printCommand,
    witnessCommand,
    rotateSigningKeyCommand,
  ].map((command) => [command.name, command]),
);

function overview(commands: ReadonlyMap<string, CliCommand>): string {
  const width = Math.max(...[...commands.keys()].map((name) => name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...[...commands.values()].map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's options.`,
    '',
  ].join('\n');
}

/** Runs one command line (without the `node main.js` prefix) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, commands: ReadonlyMap<string, CliCommand> = COMMANDS): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview(commands));
    return EXIT_OK;
  }
  if (name === undefined) {
    io.stderr(overview(commands));
    return EXIT_USAGE;
  }
  const command = commands.get(name);
  if (command === undefined) {
    io.stderr(`${PROGRAM}: unknown command "${name}"\n\n${overview(commands)}`);
    return EXIT_USAGE;
  }

  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${PROGRAM} ${name}: ${error.message}\nRun \`${PROGRAM} ${name} --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof CliFailure) {
      io.stderr(`${PROGRAM} ${name}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
}

if (require.main === module) {
  const io: CliIo = {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
  // exitCode rather than exit(): let stdout drain when it is a pipe.
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`${PROGRAM}: unexpected error: ${detail}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
