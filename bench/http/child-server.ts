import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { processTreeMemory, type TreeMemory } from './process-memory';

/** A port nobody listens on right now, on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port was assigned'))));
    });
  });
}

const KEPT_OUTPUT_LINES = 200;

/**
 * A Node process the bench started: its output is drained (a full pipe would stall it) and the
 * last lines kept for error messages; stop() asks it to end and kills it if it does not.
 */
export class ChildServer {
  /** Every child still running, so an interrupted bench leaves no server behind. */
  private static readonly live = new Set<ChildServer>();
  private readonly lines: string[] = [];
  private exitCode: number | null | undefined;
  readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.lines.push(line);
        if (this.lines.length > KEPT_OUTPUT_LINES) this.lines.shift();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    ChildServer.live.add(this);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? null : 0);
        ChildServer.live.delete(this);
        resolve(this.exitCode);
      });
      child.once('error', (error) => {
        this.lines.push(`spawn failed: ${error.message}`);
        this.exitCode = null;
        ChildServer.live.delete(this);
        resolve(null);
      });
    });
  }

  static start(name: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildServer {
    const child = spawn(process.execPath, [...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    return new ChildServer(name, child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no process id: ${this.output()}`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  output(): string {
    return this.lines.join('\n');
  }

  /** Resident memory of this process and every process it started (Linux /proc); null elsewhere. */
  memory(): TreeMemory | null {
    return processTreeMemory(this.pid);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  async stop(graceMs = 15_000): Promise<number | null> {
    if (!this.running) return this.exitCode ?? null;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (this.running) this.child.kill('SIGKILL');
    }, graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills at once; for the bench's own emergency exit. */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }

  static killAll(): void {
    for (const child of ChildServer.live) child.kill();
  }
}
