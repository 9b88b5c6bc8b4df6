import { Observable } from 'rxjs';
import { EventStoreError, StoreUnavailableError } from '../errors';
import type { RecordedEvent } from '../event-store';

export const SUBSCRIPTION_PAGE_SIZE = 1000;

export interface SubscriptionSources {
  /** Events strictly after a position, in commit order, at most `maxCount`. */
  readAfter(fromPosition: number, maxCount: number): RecordedEvent[];
  /** Emits after a commit through this instance wrote something. */
  appended: Observable<void>;
  /** Emits when the store closes. */
  closing: Observable<void>;
  /** How often to look for events appended by other processes sharing the file. */
  pollIntervalMs: number;
}

/**
 * Every delivery is read back from the table by position, never taken from the append that
 * woke the subscriber, so the catch-up and live phases are one loop and cannot leave a gap
 * or deliver twice at the seam.
 */
export function subscribeToAll(sources: SubscriptionSources, fromPosition: number): Observable<RecordedEvent> {
  return new Observable<RecordedEvent>((subscriber) => {
    let cursor = fromPosition;
    let draining = false;
    let wokenWhileDraining = false;

    const drain = (): void => {
      if (subscriber.closed) return;
      if (draining) {
        wokenWhileDraining = true;
        return;
      }
      draining = true;
      try {
        const page = sources.readAfter(cursor, SUBSCRIPTION_PAGE_SIZE);
        for (const event of page) {
          if (subscriber.closed) return;
          cursor = event.globalPosition;
          subscriber.next(event);
        }
        draining = false;
        // Yield to the event loop between pages so a long catch-up never starves other work.
        if (page.length === SUBSCRIPTION_PAGE_SIZE || wokenWhileDraining) {
          wokenWhileDraining = false;
          setImmediate(drain);
        }
      } catch (error) {
        subscriber.error(error instanceof EventStoreError ? error : new StoreUnavailableError('subscription read failed', error));
      } finally {
        draining = false;
      }
    };

    const wake = sources.appended.subscribe(() => setImmediate(drain));
    const poll = setInterval(drain, sources.pollIntervalMs);
    poll.unref();
    const close = sources.closing.subscribe(() => subscriber.complete());
    setImmediate(drain);
    return () => {
      wake.unsubscribe();
      close.unsubscribe();
      clearInterval(poll);
    };
  });
}
