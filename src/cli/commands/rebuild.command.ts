import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type AppConfig } from '../../config/app-config';
import { createEventStore } from '../../ledger/ledger.module';
import type { Projection } from '../../projections/projection';
import { ProjectorLock, describeHolder } from '../../projections/projector-lock';
import { openReadModelDatabase } from '../../projections/read-model-database';
import { DEFAULT_REBUILD_BATCH_SIZE, rebuildProjections, type RebuildProgress } from '../../projections/rebuild';
import { REGISTERED_KEPT_TABLES, REGISTERED_PROJECTIONS } from '../../registered-projections';
import { systemClock } from '../../shared/clock';
import { CliCommand, CliFailure, CliIo, EXIT_FAILURE, EXIT_OK, UsageError } from '../cli-command';

const MAX_BATCH_SIZE = 10_000;

const usage = (
  projections: readonly Projection[],
): string => `Usage: seizure-ledger rebuild [--projection <name>]... [--batch-size <n>] [--restart]

Rebuilds every read model (or those named) from the event log, with the same code that keeps
them current, so the result equals what live updating produced. Progress goes to stderr.

Each batch of events is committed with the read model's checkpoint: after an interruption
(Ctrl-C, a crash, kill -9) run the command again, or start the server, and the rebuild
continues from the last committed batch. --restart starts from zero instead.

The server must not be running on the same data dir: the command refuses while one holds the
read-model database (a lock row with its pid and heartbeat; a dead server's lock is taken over).

Options:
  --projection <name>   rebuild only this read model (repeatable); one of:
                        ${projections.map((p) => p.name).join(', ') || '(none registered)'}
  --batch-size <n>      events per transaction, 1–${MAX_BATCH_SIZE} (default ${DEFAULT_REBUILD_BATCH_SIZE})
  --restart             start from the beginning even where an interrupted rebuild could continue
`;

export interface RebuildCommandOptions {
  projections?: readonly Projection[];
  /** Whether stderr is a terminal: a redrawn bar there, plain periodic lines otherwise. */
  stderrIsTty?: () => boolean;
  now?: () => number;
}

/** `rebuild`, over the given projections (the registered ones by default). */
export function createRebuildCommand(options: RebuildCommandOptions = {}): CliCommand {
  const projections = options.projections ?? REGISTERED_PROJECTIONS;
  const now = options.now ?? Date.now;
  return {
    name: 'rebuild',
    summary: 'rebuild the read models (or one) from the event log; resumable',
    usage: usage(projections),
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const values = parseRebuildArgs(args);
      if (values.help) {
        io.stdout(usage(projections));
        return EXIT_OK;
      }
      const batchSize = parseBatchSize(values['batch-size']);
      const selected = selectProjections(projections, values.projection);

      const config = loadCliConfig(io);
      const { db, lock } = lockReadModels(config, now, io);

      const store = createEventStore(config, systemClock);
      const abort = new AbortController();
      const interrupt = (): void => {
        if (!abort.signal.aborted) io.stderr('\ninterrupted: finishing the batch in progress…\n');
        abort.abort();
      };
      process.on('SIGINT', interrupt);
      process.on('SIGTERM', interrupt);
      // Between batches too (a slow page read), the lock must not look abandoned.
      const heartbeat = setInterval(() => {
        try {
          lock.heartbeat();
        } catch {
          // The next batch's renewal reports a lost lock.
        }
      }, 3000);
      heartbeat.unref();
      const bar = new ProgressBar((text) => io.stderr(text), options.stderrIsTty?.() ?? process.stderr.isTTY === true, now);
      try {
        const result = await rebuildProjections(db, store, selected, {
          lock,
          batchSize,
          restart: values.restart === true,
          signal: abort.signal,
          onProgress: (progress) => bar.update(progress),
          log: (message) => io.stderr(`${message}\n`),
        });
        bar.finish();
        const names = result.projections.map((p) => p.name).join(', ');
        if (result.interrupted) {
          io.stderr(`stopped at position ${result.position}; run \`seizure-ledger rebuild\` again to continue from there\n`);
          return EXIT_FAILURE;
        }
        io.stdout(`rebuilt ${names || 'nothing'}: ${result.events} events read, up to position ${result.position}\n`);
        return EXIT_OK;
      } catch (error) {
        bar.finish();
        throw new CliFailure(
          `rebuild failed, nothing after the last committed batch was kept: ${error instanceof Error ? error.message : String(error)}`,
        );
      } finally {
        clearInterval(heartbeat);
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
        lock.release();
        db.close();
        await store.close();
      }
    },
  };
}

export const rebuildCommand = createRebuildCommand();

interface RebuildArgs {
  projection?: string[];
  'batch-size'?: string;
  restart?: boolean;
  help?: boolean;
}

function parseRebuildArgs(args: readonly string[]): RebuildArgs {
  try {
    return parseArgs({
      args: [...args],
      options: {
        projection: { type: 'string', multiple: true },
        'batch-size': { type: 'string' },
        restart: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function loadCliConfig(io: CliIo): AppConfig {
  try {
    return loadConfig(io.env, io.cwd);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliFailure(error.message);
    throw error;
  }
}

/** The read-model database, with the writer lock taken: refused while a server (or another rebuild) holds it. */
function lockReadModels(
  config: AppConfig,
  now: () => number,
  io: CliIo,
): { db: ReturnType<typeof openReadModelDatabase>; lock: ProjectorLock } {
  const db = openReadModelDatabase(config, REGISTERED_KEPT_TABLES, (message) => io.stderr(`${message}\n`));
  const lock = new ProjectorLock(db, 'rebuild');
  const acquired = lock.tryAcquire();
  if (!acquired.acquired) {
    db.close();
    throw new CliFailure(
      `the read models are being written by ${describeHolder(acquired.holder, now())}; stop it first (a rebuild and a server must not write them at once)`,
    );
  }
  return { db, lock };
}

function parseBatchSize(value: string | undefined): number {
  if (value === undefined) return DEFAULT_REBUILD_BATCH_SIZE;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH_SIZE)
    throw new UsageError(`--batch-size must be an integer from 1 to ${MAX_BATCH_SIZE} (got ${JSON.stringify(value)})`);
  return n;
}

function selectProjections(projections: readonly Projection[], names: string[] | undefined): readonly Projection[] {
  if (names === undefined || names.length === 0) return projections;
  const unknown = names.filter((name) => !projections.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown read model ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${projections.map((p) => p.name).join(', ')}`,
    );
  }
  return projections.filter((p) => names.includes(p.name));
}

// ---------------------------------------------------------------------------------------------
// Progress: a bar redrawn in place on a terminal, a plain line every few seconds in a log.

const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 5000;
const BAR_WIDTH = 28;

/** Done and total events, speed and time left, as one line. */
export function formatProgress(p: RebuildProgress, elapsedMs: number, tty: boolean): string {
  const span = p.headPosition - p.fromPosition;
  const fraction = p.total !== null ? (p.total === 0 ? 1 : p.done / p.total) : span <= 0 ? 1 : (p.position - p.fromPosition) / span;
  const clamped = Math.min(1, Math.max(0, fraction));
  const rate = elapsedMs > 0 ? (p.done * 1000) / elapsedMs : 0;
  const remainingMs = clamped > 0 && clamped < 1 ? (elapsedMs / clamped) * (1 - clamped) : 0;
  const count =
    p.total !== null
      ? `${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} events`
      : `${p.done.toLocaleString('en-US')} events`;
  const eta = clamped >= 1 ? 'done' : clamped > 0 ? `ETA ${formatDuration(remainingMs)}` : 'ETA –';
  const percent = `${(clamped * 100).toFixed(1)}%`;
  const speed = `${Math.round(rate).toLocaleString('en-US')} events/s`;
  if (!tty) return `rebuild: ${percent}, ${count}, ${speed}, ${eta}`;
  const filled = Math.round(clamped * BAR_WIDTH);
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${percent.padStart(6)}  ${count}  ${speed}  ${eta}`;
}

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

class ProgressBar {
  private readonly startedAt: number;
  private lastDrawn = -Infinity;
  private latest: RebuildProgress | undefined;
  private drawnSinceLatest = true;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  update(progress: RebuildProgress): void {
    this.latest = progress;
    this.drawnSinceLatest = false;
    if (this.now() - this.lastDrawn >= (this.tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS)) this.draw();
  }

  /** Draws the final state and ends the bar's line. */
  finish(): void {
    if (this.latest !== undefined && !this.drawnSinceLatest) this.draw();
    if (this.tty && this.latest !== undefined) this.write('\n');
    this.latest = undefined;
  }

  private draw(): void {
    if (this.latest === undefined) return;
    const now = this.now();
    const line = formatProgress(this.latest, now - this.startedAt, this.tty);
    // \r and "erase line" redraw in place on a terminal; a log gets one line per report.
    this.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
    this.lastDrawn = now;
    this.drawnSinceLatest = true;
  }
}
