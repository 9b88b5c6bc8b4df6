import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How often connections that fell idle during a drain are looked for and closed. */
const IDLE_SWEEP_MS = 50;

/** How a drain ended. */
export interface DrainOutcome {
  /** Requests still unanswered when the grace period ran out; their connections were cut. */
  readonly cut: number;
}

/**
 * Stops an HTTP server in order: no new connections, every request in flight answered, idle
 * keep-alive connections closed, and only past the grace period whatever is left cut off.
 * Create it before the server listens, so that every request is counted.
 */
export class HttpDrain {
  private readonly unanswered = new Set<ServerResponse>();
  private draining = false;

  constructor(private readonly server: Server) {
    server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
      this.unanswered.add(response);
      response.once('close', () => this.unanswered.delete(response));
      if (this.draining) lastOnItsConnection(response);
    });
  }

  /** Requests received and not yet answered. */
  get inFlight(): number {
    return this.unanswered.size;
  }

  /** Resolves once every connection is closed: when the last request is answered, or at the grace period's end. */
  async drain(graceMs: number): Promise<DrainOutcome> {
    this.draining = true;
    for (const response of this.unanswered) lastOnItsConnection(response);
    // Stops listening and closes the connections idle right now; resolves when none is left.
    const closed = new Promise<void>((done) => this.server.close(() => done()));
    // A response whose headers were out before the drain (an event stream) leaves its connection
    // open and idle when it ends; so does a client that had not yet sent its next request.
    const sweep = setInterval(() => this.server.closeIdleConnections(), IDLE_SWEEP_MS);
    let deadline: NodeJS.Timeout | undefined;
    try {
      const inTime = await Promise.race([
        closed.then(() => true),
        new Promise<boolean>((done) => (deadline = setTimeout(() => done(false), graceMs))),
      ]);
      if (inTime) return { cut: 0 };
      const cut = this.unanswered.size;
      this.server.closeAllConnections();
      await closed;
      return { cut };
    } finally {
      clearInterval(sweep);
      clearTimeout(deadline);
    }
  }
}

/** Asks Node to close the connection once this response is sent, so a keep-alive client cannot hold the drain open. */
function lastOnItsConnection(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}
