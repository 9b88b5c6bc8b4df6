import type { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import { HttpDrain } from './platform/http/http-drain';
import { LiveFeed } from './read-models/live-feed/live-feed';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** The hooks stop timers and close files in milliseconds; this only turns a hang into a failed exit. */
const HOOKS_DEADLINE_MS = 30_000;

/**
 * Stops the server on SIGTERM or SIGINT, in place of Nest's enableShutdownHooks: Nest runs the
 * beforeApplicationShutdown hooks (which stop the projector that read-your-writes queries wait on)
 * before it closes the HTTP server, and then closes only the keep-alive connections idle at that
 * instant, so later ones hold the stop open. Here the HTTP server is drained first — no new
 * connections, live feeds ended, requests in flight answered for up to `graceMs` — and only then
 * do the hooks stop the projector and the signer and close the databases. Exits 0 once all of that is done, 1 if a hook failed. A second signal (Ctrl-C under
 * `npm start` reaches both npm, which forwards it, and the server) changes nothing.
 * Call before listen, so that every request is counted.
 */
export function stopGracefullyOnSignals(app: INestApplication<Server>, graceMs: number): void {
  const logger = new Logger('Shutdown');
  const drain = new HttpDrain(app.getHttpServer());
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    stopInOrder(app, drain, graceMs, signal, logger).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(
          `stopping failed: ${error instanceof Error ? error.message : String(error)}`,
          error instanceof Error ? error.stack : undefined,
        );
        process.exit(1);
      },
    );
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
}

async function stopInOrder(
  app: INestApplication<Server>,
  drain: HttpDrain,
  graceMs: number,
  signal: NodeJS.Signals,
  logger: Logger,
): Promise<void> {
  logger.log(`${signal}: refusing new connections; waiting up to ${graceMs} ms for ${drain.inFlight} request(s) in flight`);
  // An event stream never ends by itself; its clients resume with Last-Event-ID.
  app.get(LiveFeed).closeAll();
  const { cut } = await drain.drain(graceMs);
  if (cut > 0) logger.warn(`${cut} request(s) still unanswered after ${graceMs} ms were cut off`);
  else logger.log('HTTP server closed with every request answered');
  await withDeadline(app.close(), HOOKS_DEADLINE_MS);
  logger.log('stopped');
}

async function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`the shutdown hooks did not finish within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
