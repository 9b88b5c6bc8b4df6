import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareStateDir, loadOrCreateWitnessKey, WitnessSetupError } from '../../evidence/witness/witness-files';
import { startWitness } from '../../evidence/witness/start-witness';
import { systemClock } from '../../shared/clock';
import { CliCommand, CliFailure, CliIo, EXIT_OK, UsageError } from '../cli-command';

export const DEFAULT_WITNESS_PORT = 7380;

const USAGE = `Usage: seizure-ledger witness --state-dir <dir> --log-key <verifier key> [--log-key …] [--name <name>]
                              [--host 127.0.0.1] [--port ${DEFAULT_WITNESS_PORT}] [--config <file>]
       seizure-ledger witness key --state-dir <dir>

Runs a transparency-log witness (https://c2sp.org/tlog-witness) for this ledger, as its own
process with its own key: POST /add-checkpoint cosigns a checkpoint of a log it follows only when
the log's signature verifies and a consistency proof shows the log grew from the checkpoint the
witness last cosigned; it refuses a fork (same size, another root: 422), a rollback (409 or 400)
and a bad proof (422). GET /<hex SHA-256 of the origin>/checkpoint answers its latest cosigned
checkpoint of that log.

--state-dir   its key (witness-key, generated on first start, mode 0600) and state
              (witness-state.json: per log the latest cosigned size and root). Refused when other
              users may read the key or write the directory.
--log-key     the ledger's checkpointVerifierKey (GET /evidence/public-key), its name the origin;
              repeatable, several keys of one origin all trusted.
--config      a JSON file { "name": "…", "logKeys": ["…"], "host": "…", "port": 7380 } instead of (or
              besides) the options; options win.
--name        the witness key's name, needed on first start (e.g. witness.ceo-up.gov.in).

Prints its verifier key (give it to the log operator and to verifiers) on stdout, then serves
until interrupted. \`witness key\` prints the verifier key only. Exits 2 on a usage error, 1 when
the state dir or key cannot be used.`;

interface WitnessFileConfig {
  name?: string;
  logKeys?: string[];
  host?: string;
  port?: number;
}

function readConfig(io: CliIo, file: string): WitnessFileConfig {
  const path = isAbsolute(file) ? file : resolve(io.cwd, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--config ${file}: ${(error as Error).message}`);
  }
  const c = parsed as WitnessFileConfig;
  const bad = (field: string, why: string): never => {
    throw new UsageError(`--config ${file}: "${field}" ${why}`);
  };
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) bad('(top level)', 'must be a JSON object');
  if (c.name !== undefined && typeof c.name !== 'string') bad('name', 'must be a string');
  if (c.host !== undefined && typeof c.host !== 'string') bad('host', 'must be a string');
  if (c.port !== undefined && !(Number.isInteger(c.port) && c.port >= 0 && c.port <= 65535)) bad('port', 'must be a port number');
  if (c.logKeys !== undefined && !(Array.isArray(c.logKeys) && c.logKeys.every((k) => typeof k === 'string'))) {
    bad('logKeys', 'must be an array of verifier key strings');
  }
  return c;
}

function parsePort(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be a port number from 0 to 65535 (got "${text}")`);
  return Number(text);
}

function options(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        'state-dir': { type: 'string' },
        'log-key': { type: 'string', multiple: true },
        config: { type: 'string' },
        name: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const stateDirOf = (io: CliIo, dir: string | undefined): string => {
  if (dir === undefined) throw new UsageError('--state-dir <dir> is required');
  return isAbsolute(dir) ? dir : resolve(io.cwd, dir);
};

/** Serves until SIGINT or SIGTERM; a setup failure is the operator's to fix (exit 1). */
async function serve(io: CliIo, values: ReturnType<typeof options>['values']): Promise<number> {
  const config = values.config !== undefined ? readConfig(io, values.config) : {};
  const stamp = (level: string, message: string): void => io.stderr(`${systemClock.now()} ${level} witness: ${message}\n`);
  let started;
  try {
    started = await startWitness({
      stateDir: stateDirOf(io, values['state-dir']),
      name: values.name ?? config.name,
      logKeys: [...(values['log-key'] ?? []), ...(config.logKeys ?? [])],
      host: values.host ?? config.host ?? '127.0.0.1',
      port: values.port !== undefined ? parsePort(values.port) : (config.port ?? DEFAULT_WITNESS_PORT),
      events: { log: (m) => stamp('info', m), warn: (m) => stamp('WARN', m) },
    });
  } catch (error) {
    if (error instanceof WitnessSetupError) throw new CliFailure(error.message);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliFailure(`the port is in use: ${(error as Error).message}`);
    throw error;
  }
  const { key, logs, running } = started;
  io.stdout(`${key.verifierKey}\n`);
  stamp('info', `witness ${key.name} listening on ${running.url}, following ${logs.map((l) => l.origin).join(', ')}`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  return EXIT_OK;
}

export const witnessCommand: CliCommand = {
  name: 'witness',
  summary: 'run a witness that cosigns the ledger’s checkpoints (C2SP tlog-witness), or print its key',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = options(args);
    if (values.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (positionals.length > 1 || (positionals.length === 1 && positionals[0] !== 'key')) {
      throw new UsageError(`unexpected argument "${positionals.join(' ')}"; the only subcommand is "key"`);
    }
    if (positionals[0] !== 'key') return serve(io, values);
    const dir = stateDirOf(io, values['state-dir']);
    try {
      prepareStateDir(dir);
      io.stdout(`${loadOrCreateWitnessKey(dir, values.name).verifierKey}\n`);
    } catch (error) {
      if (error instanceof WitnessSetupError) throw new CliFailure(error.message);
      throw error;
    }
    return EXIT_OK;
  },
};
