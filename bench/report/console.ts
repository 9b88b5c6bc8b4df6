import { SingleBar } from 'cli-progress';

/**
 * What the bench says while it runs, all on stderr so that stdout holds only the results table:
 * a progress bar redrawn in place on a terminal, a line per phase in a log, nothing with --quiet.
 */
export interface PhaseProgress {
  update(done: number): void;
  /** Ends the phase; `summary` is shown after its label. */
  finish(summary?: string): void;
}

export class BenchConsole {
  constructor(
    private readonly quiet: boolean,
    private readonly tty: boolean = process.stderr.isTTY === true,
  ) {}

  log(message: string): void {
    if (!this.quiet) process.stderr.write(`${message}\n`);
  }

  phase(label: string, total: number, unit: string): PhaseProgress {
    const startedAt = performance.now();
    const seconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);
    if (this.quiet) return { update: () => undefined, finish: () => undefined };
    if (!this.tty) {
      this.log(`${label} …`);
      return { update: () => undefined, finish: (summary) => this.log(`${label}: ${summary ?? 'done'} (${seconds()} s)`) };
    }
    const bar = new SingleBar({
      format: `${label.padEnd(34)} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted} | ETA {eta_formatted}`,
      stream: process.stderr,
      barsize: 24,
      hideCursor: true,
      fps: 5,
      etaBuffer: 50,
    });
    bar.start(Math.max(1, total), 0);
    let last = 0;
    return {
      update: (done) => {
        last = Math.min(done, Math.max(1, total));
        bar.update(last);
      },
      finish: (summary) => {
        bar.update(Math.max(last, Math.max(1, total)));
        bar.stop();
        this.log(`  ${label}: ${summary ?? 'done'} (${seconds()} s)`);
      },
    };
  }
}
