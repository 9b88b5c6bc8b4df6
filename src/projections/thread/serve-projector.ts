import type { MessagePort } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { Subject, type Observable } from 'rxjs';
import type { EventStore } from '../../ledger/event-store';
import type { Projection } from '../projection';
import { Projector } from '../projector';
import { messageOf, type ProjectorLogger } from '../projector-options';
import type { FromProjectorWorker, ToProjectorWorker } from './projector-thread-messages';

/** What the worker projects with: connections of its own, never shared with the main thread. */
export interface ProjectorWorkerConnections {
  db: Database;
  store: EventStore;
  projections: readonly Projection[];
}

/**
 * The worker's side of ProjectorThread: runs one Projector in this thread for the main thread at
 * the other end of `port`, relaying its progress and its log. `open` is called on 'start'; it gets
 * the main thread's append notices, so that an embedded store's subscription looks at once.
 */
export function serveProjector(port: MessagePort, open: (appendedElsewhere: Observable<void>) => ProjectorWorkerConnections): void {
  const appendedElsewhere = new Subject<void>();
  let running: { projector: Projector; connections: ProjectorWorkerConnections } | undefined;
  const post = (message: FromProjectorWorker): void => port.postMessage(message);
  const logger: ProjectorLogger = {
    log: (message) => post({ type: 'log', level: 'log', message }),
    warn: (message) => post({ type: 'log', level: 'warn', message }),
    error: (message, stack) => post({ type: 'log', level: 'error', message, ...(stack !== undefined && { stack }) }),
  };

  const start = async (): Promise<void> => {
    try {
      const connections = open(appendedElsewhere);
      const projector = new Projector(connections.db, connections.store, connections.projections, {
        logger,
        onProgress: (progress) => post({ type: 'progress', progress }),
      });
      running = { projector, connections };
      await projector.start();
      post({ type: 'started' });
    } catch (error) {
      post({
        type: 'start-failed',
        message: messageOf(error),
        ...(error instanceof Error && error.stack !== undefined && { stack: error.stack }),
      });
      await closeConnections();
      port.close();
    }
  };

  const closeConnections = async (): Promise<void> => {
    if (running === undefined) return;
    const { projector, connections } = running;
    running = undefined;
    await projector.stop();
    await connections.store.close();
    if (connections.db.open) connections.db.close();
  };

  const stop = async (): Promise<void> => {
    try {
      await closeConnections();
    } catch (error) {
      logger.error(`the projector did not stop cleanly: ${messageOf(error)}`, error instanceof Error ? error.stack : undefined);
    }
    appendedElsewhere.complete();
    post({ type: 'stopped' });
    // Nothing is left to keep the thread alive: it exits.
    port.close();
  };

  port.on('message', (message: ToProjectorWorker) => {
    switch (message.type) {
      case 'appended':
        appendedElsewhere.next();
        return;
      case 'store-closed':
        void running?.connections.store.close();
        return;
      case 'start':
        void start();
        return;
      case 'stop':
        void stop();
        return;
      default: {
        const unexpected: never = message;
        logger.warn(`unexpected message to the projector thread: ${JSON.stringify(unexpected)}`);
      }
    }
  });
}
