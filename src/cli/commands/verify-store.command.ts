import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type AppConfig } from '../../config/app-config';
import { parseAuditKey, readServerKey, type AuditKey } from '../../evidence/ledger-audit/log-key';
import { openDataDirEvidence } from '../../evidence/ledger-audit/sqlite/data-dir-evidence';
import { verifyLedger } from '../../evidence/ledger-audit/verify-ledger';
import { SigningKeyError } from '../../evidence/tree-heads/signing-key';
import type { EventStore } from '../../ledger/event-store';
import { createEventStore } from '../../ledger/ledger.module';
import { keptTablesDatabasePath } from '../../projections/read-model-database';
import { REGISTERED_KEPT_TABLES } from '../../registered-projections';
import { systemClock } from '../../shared/clock';
import { CliCommand, CliFailure, CliIo, EXIT_FAILURE, EXIT_OK, UsageError } from '../cli-command';
import { chainReport, ledgerReport } from './verify-store.report';

const USAGE = `Usage: seizure-ledger verify-store [--head <file>]... [--public-key <file>] [--json]
       seizure-ledger verify-store --stream <name> [--json]

Checks the configured store — the SQLite file under $LEDGER_DATA_DIR, or EventStoreDB when
EVENTSTORE_CONNECTION_STRING is set — and says what each check proved and against what:

  chain              every stream's hash chain: names each event altered, missing, reordered or
                     inserted. Cannot see a stream cut at its end, nor a log rewritten with
                     fresh hashes.
  heads in data dir  every signed tree head stored in the data dir: its signature, then the
                     Merkle root of the log's first treeSize seizure events, recomputed from the
                     events, against the head's. Catches deleted newest events, a cut stream, an
                     edited event. Whoever can write the data dir can re-sign these.
  outside heads      the same for each --head <file>: a signed head saved earlier from
                     GET /evidence/tree-heads/latest (or ?treeSize=N), kept away from the data
                     dir. Catches a rewrite even by someone holding the signing key. A head whose
                     signature does not verify is a failure.

A head the log does not reproduce is named (size, time) with the first leaf that differs.
--public-key <file> is the log's public key (the JSON of GET /evidence/public-key, an SPKI PEM,
or the raw key in base64) or a trust file with the log's keys ({"logKeys": [...]}; the JSON of
GET /evidence/public-key holds them too); outside heads are checked against it, else against the
data dir's keys. Heads in the data dir are checked under its key history (table log_keys): each
head under the key it names, valid at its time, and each key change announced by the key before. Exits 0 when every check holds, 1 when any fails, 2 on a usage error. --json prints
the full result. --stream checks one stream's chain only.`;

interface VerifyStoreArgs {
  stream?: string;
  json?: boolean;
  head?: string[];
  'public-key'?: string;
  help?: boolean;
}

function parse(args: readonly string[]): VerifyStoreArgs {
  try {
    return parseArgs({
      args: [...args],
      options: {
        stream: { type: 'string' },
        json: { type: 'boolean' },
        head: { type: 'string', multiple: true },
        'public-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function readGivenFile(io: CliIo, file: string, option: string): string {
  try {
    return readFileSync(isAbsolute(file) ? file : resolve(io.cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${option} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function givenKey(io: CliIo, file: string | undefined): AuditKey | null {
  if (file === undefined) return null;
  try {
    return parseAuditKey(readGivenFile(io, file, '--public-key'), `--public-key ${file}`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--public-key ${file}: ${(error as Error).message}`);
  }
}

function serverKey(config: AppConfig): AuditKey | null {
  try {
    return readServerKey({ keyFile: config.evidence.signingKeyFile, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof SigningKeyError) throw new CliFailure(error.message);
    throw error;
  }
}

async function verifyWholeLedger(io: CliIo, config: AppConfig, store: EventStore, values: VerifyStoreArgs): Promise<number> {
  const outsideKey = givenKey(io, values['public-key']);
  const heads = (values.head ?? []).map((file) => ({ source: file, text: readGivenFile(io, file, '--head') }));
  const key = serverKey(config);
  if (heads.length > 0 && outsideKey === null && key === null) {
    throw new CliFailure('no public key to check the --head files against: give --public-key <file>');
  }
  // The heads are read before the log: the log only grows, so a server writing meanwhile cannot make a head look uncovered.
  // Read-only: on a data dir no server of this release has opened yet, the heads are still in ledger.sqlite.
  const evidence = openDataDirEvidence(keptTablesDatabasePath(config, REGISTERED_KEPT_TABLES));
  try {
    const result = await verifyLedger({
      store,
      dataDir: {
        heads: evidence?.heads ?? [],
        key,
        keyHistory: evidence?.keyHistory ?? [],
        ...(evidence?.merkle !== undefined && { merkle: evidence.merkle }),
      },
      outside: { heads, key: outsideKey },
    });
    io.stdout(values.json ? JSON.stringify(result, null, 2) : ledgerReport(result, `${store.kind} store`));
    return result.ok ? EXIT_OK : EXIT_FAILURE;
  } finally {
    evidence?.close();
  }
}

export const verifyStoreCommand: CliCommand = {
  name: 'verify-store',
  summary: 'check the hash chain and every signed tree head (in the data dir and given) against the log',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const values = parse(args);
    if (values.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (values.stream !== undefined && (values.head !== undefined || values['public-key'] !== undefined)) {
      throw new UsageError('--stream checks one chain only; heads commit to the whole log, so --head and --public-key go without it');
    }
    let config: AppConfig;
    try {
      config = loadConfig(io.env, io.cwd);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliFailure(error.message);
      throw error;
    }
    const store = createEventStore(config, systemClock);
    try {
      if (values.stream === undefined) return await verifyWholeLedger(io, config, store, values);
      const result = await store.verifyStream(values.stream);
      const scope = `stream ${values.stream}`;
      io.stdout(
        values.json
          ? JSON.stringify(result, null, 2)
          : [...chainReport(result, scope), `${result.ok ? 'OK' : 'BROKEN'}: ${scope}`].join('\n'),
      );
      return result.ok ? EXIT_OK : EXIT_FAILURE;
    } finally {
      await store.close();
    }
  },
};
