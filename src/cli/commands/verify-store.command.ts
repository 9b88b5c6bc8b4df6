import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/app-config';
import type { ChainVerification } from '../../ledger/hash-chain';
import { createEventStore } from '../../ledger/ledger.module';
import { systemClock } from '../../shared/clock';
import { CliCommand, CliFailure, CliIo, EXIT_FAILURE, EXIT_OK, UsageError } from '../cli-command';

const USAGE = `Usage: seizure-ledger verify-store [--stream <name>] [--json]

Walks the hash chain of every stream (or of one) in the configured store — the SQLite file
under $LEDGER_DATA_DIR, or EventStoreDB when EVENTSTORE_CONNECTION_STRING is set — and names
every event found altered, missing, reordered or inserted. Exits 0 when the chain holds, 1 when
it does not. --json prints the full result as JSON.`;

function report(result: ChainVerification, scope: string): string {
  const lines = [
    `${result.ok ? 'OK' : 'BROKEN'}: ${scope}: ${result.eventsChecked} events in ${result.streamsChecked} streams checked, ${result.problemCount} problems`,
  ];
  for (const p of result.problems) {
    const where = [
      `stream ${p.streamName}`,
      p.revision !== null && `revision ${p.revision}`,
      p.globalPosition !== null && `position ${p.globalPosition}`,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${p.kind.toUpperCase()} at ${where}: ${p.detail}`);
  }
  if (result.problemCount > result.problems.length) lines.push(`  … and ${result.problemCount - result.problems.length} more`);
  return lines.join('\n');
}

export const verifyStoreCommand: CliCommand = {
  name: 'verify-store',
  summary: 'check the hash chain of the whole store (or one stream) and name what is broken',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    let values: { stream?: string; json?: boolean; help?: boolean };
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: { stream: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    let config;
    try {
      config = loadConfig(io.env, io.cwd);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliFailure(error.message);
      throw error;
    }
    const store = createEventStore(config, systemClock);
    try {
      const result = values.stream ? await store.verifyStream(values.stream) : await store.verifyAll();
      io.stdout(
        values.json ? JSON.stringify(result, null, 2) : report(result, values.stream ? `stream ${values.stream}` : `${store.kind} store`),
      );
      return result.ok ? EXIT_OK : EXIT_FAILURE;
    } finally {
      await store.close();
    }
  },
};
