import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { SendOutcome } from '../measures/open-loop';
import { TIMEOUT_SECONDS, bodyOf, type CommandTemplate } from './command-load';

/**
 * POST /seizures for the open loop: one keep-alive agent with no cap on sockets, so a request
 * due while earlier ones are unanswered opens a connection of its own instead of queueing in the
 * client (a queue here would hide the server's stall exactly as a closed loop does).
 */
export class OpenLoopSender {
  private agent = OpenLoopSender.newAgent();
  statusCodes: Record<string, number> = {};
  /** Broken connections and timeouts. */
  errors = 0;
  errorKinds: Record<string, number> = {};

  constructor(
    private readonly url: string,
    private readonly templates: readonly CommandTemplate[],
  ) {}

  readonly send = (index: number): Promise<SendOutcome> => {
    const template = this.templates[index % this.templates.length];
    const body = bodyOf(template, randomUUID());
    return new Promise((resolve) => {
      let done = false;
      const end = (outcome: SendOutcome, status?: number) => {
        if (done) return;
        done = true;
        if (status === undefined) this.errors++;
        else this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
        resolve(outcome);
      };
      const req = request(
        this.url,
        { method: 'POST', agent: this.agent, headers: { ...template.headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () =>
            end(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300 ? 'ok' : 'failed', res.statusCode),
          );
          res.on('error', () => end('failed'));
        },
      );
      req.setTimeout(TIMEOUT_SECONDS * 1000, () => req.destroy(new Error('timeout')));
      req.on('error', (error) => {
        this.errorKinds[error.message] = (this.errorKinds[error.message] ?? 0) + 1;
        end('failed');
      });
      req.end(body);
    });
  };

  /**
   * The server closes a connection idle for 5 s (Node's default); a request sent on it as it does
   * fails with ECONNRESET. So idle connections are closed here first, after 4 s, and every run
   * starts on fresh ones.
   */
  private static newAgent(): Agent {
    return new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024, timeout: 4000 });
  }

  /** Fresh connections and counts for the next run. */
  startRun(): void {
    this.agent.destroy();
    this.agent = OpenLoopSender.newAgent();
    this.statusCodes = {};
    this.errors = 0;
    this.errorKinds = {};
  }

  close(): void {
    this.agent.destroy();
  }
}
