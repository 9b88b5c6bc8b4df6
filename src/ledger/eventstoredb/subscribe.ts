import { excludeSystemEvents } from '@eventstore/db-client';
import type { AllStreamResolvedEvent, AllStreamSubscription, EventStoreDBClient } from '@eventstore/db-client';
import { Observable } from 'rxjs';
import { StoreUnavailableError } from '../errors';
import type { RecordedEvent } from '../event-store';
import {
  assertNonNegativeInteger,
  decodeStoredEvent,
  isLedgerEvent,
  ledgerPositionOf,
  readPositionAfter,
  toRecordedEvent,
  translateClientError,
} from './eventstoredb-mapping';

export type SubscribingClient = Pick<EventStoreDBClient, 'subscribeToAll'>;

/** The subscriptions still open, so that closing the store completes every one of them. */
export class OpenSubscriptions {
  private closed = false;
  private readonly completers = new Set<() => void>();

  get isClosed(): boolean {
    return this.closed;
  }

  add(complete: () => void): void {
    this.completers.add(complete);
  }

  delete(complete: () => void): void {
    this.completers.delete(complete);
  }

  /** Completes every open subscription; later subscribers are refused. */
  closeAll(): void {
    this.closed = true;
    for (const complete of [...this.completers]) complete();
  }
}

/**
 * The client's subscribeToAll runs the catch-up from the stored log and then switches to live
 * events on the server side, with no gap or duplicate at the seam. System events are filtered
 * on the server; id reservations and the event at `fromPosition` itself are dropped here.
 */
export function subscribeToAll(client: SubscribingClient, open: OpenSubscriptions, fromPosition: number): Observable<RecordedEvent> {
  return new Observable<RecordedEvent>((subscriber) => {
    if (open.isClosed) {
      subscriber.error(new StoreUnavailableError('the EventStoreDB store is closed'));
      return undefined;
    }
    try {
      assertNonNegativeInteger(fromPosition, 'fromPosition');
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }

    let subscription: AllStreamSubscription;
    try {
      subscription = client.subscribeToAll({ fromPosition: readPositionAfter(fromPosition), filter: excludeSystemEvents() });
    } catch (error) {
      subscriber.error(translateClientError(error, 'subscription to $all'));
      return undefined;
    }
    let finished = false;
    const stop = (): void => {
      if (finished) return;
      finished = true;
      open.delete(completeOnClose);
      // Cancelling is all there is to release; a failure to cancel a dead stream changes nothing.
      subscription.unsubscribe().catch(() => undefined);
    };
    const completeOnClose = (): void => {
      stop();
      subscriber.complete();
    };
    open.add(completeOnClose);

    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (finished) return;
      const event = resolved.event;
      if (!event || !isLedgerEvent(event.streamId, event.type)) return;
      try {
        const position = ledgerPositionOf(event.position);
        if (position !== null && position <= fromPosition) return;
        subscriber.next(toRecordedEvent(decodeStoredEvent(event)));
      } catch (error) {
        stop();
        subscriber.error(error);
      }
    });
    // The listener stays attached after stop(): an 'error' emitted with no listener would crash the process.
    subscription.on('error', (error: Error) => {
      if (finished) return;
      stop();
      subscriber.error(translateClientError(error, 'subscription to $all'));
    });
    subscription.on('end', () => {
      if (finished) return;
      stop();
      subscriber.error(new StoreUnavailableError('EventStoreDB ended the subscription to $all'));
    });
    return stop;
  });
}
