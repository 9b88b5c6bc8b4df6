import { randomUUID } from 'node:crypto';
import { START, UnavailableError } from '@eventstore/db-client';
import type { SubscribeToAllOptions } from '@eventstore/db-client';
import type { Subscription } from 'rxjs';
import { StoreUnavailableError } from '../errors';
import type { RecordedEvent } from '../event-store';
import { FakeSubscription, foreignEvents, logPosition, storedEvents } from './fake-client.test-support';
import { OpenSubscriptions, subscribeToAll, type SubscribingClient } from './subscribe';

function fakeClient(subscription: FakeSubscription): { client: SubscribingClient; options: SubscribeToAllOptions[] } {
  const options: SubscribeToAllOptions[] = [];
  const client = {
    subscribeToAll: (o: SubscribeToAllOptions) => {
      options.push(o);
      return subscription.asClientSubscription();
    },
  };
  return { client, options };
}

function collect(client: SubscribingClient, open: OpenSubscriptions, from: number) {
  const received: RecordedEvent[] = [];
  const outcome: { error?: unknown; completed: boolean } = { completed: false };
  const subscription: Subscription = subscribeToAll(client, open, from).subscribe({
    next: (e) => received.push(e),
    error: (error: unknown) => (outcome.error = error),
    complete: () => (outcome.completed = true),
  });
  return { received, outcome, subscription };
}

const three = () => [1, 2, 3].map((n) => ({ id: randomUUID(), type: 'Counted', data: { n } }));

describe('EventStoreDB subscription to $all (fake client)', () => {
  it('starts the server-side subscription at the position and delivers only ledger events strictly after it', () => {
    const fake = new FakeSubscription();
    const { client, options } = fakeClient(fake);
    const { received } = collect(client, new OpenSubscriptions(), 200);

    expect(options[0].fromPosition).toEqual(logPosition(200));
    fake.deliver([...storedEvents('s-1', three(), [100, 200, 300]), ...foreignEvents([350, 360])]);
    expect(received.map((e) => [e.revision, e.globalPosition])).toEqual([[2, 300]]);
  });

  it('starts at the beginning of the log for position 0 and delivers everything of the ledger', () => {
    const fake = new FakeSubscription();
    const { client, options } = fakeClient(fake);
    const { received } = collect(client, new OpenSubscriptions(), 0);
    expect(options[0].fromPosition).toBe(START);
    fake.deliver(storedEvents('s-1', three(), [100, 200, 300]));
    expect(received.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('errors with StoreUnavailableError when the server ends or fails the subscription, and cancels it', () => {
    for (const failure of ['end', 'error'] as const) {
      const fake = new FakeSubscription();
      const { outcome } = collect(fakeClient(fake).client, new OpenSubscriptions(), 0);
      if (failure === 'end') fake.emit('end');
      else fake.emit('error', new UnavailableError(undefined, 'connection lost'));
      expect(outcome.error).toBeInstanceOf(StoreUnavailableError);
      expect(fake.unsubscribed).toBe(1);
      // Later events and errors are ignored, and do not crash the process.
      fake.emit('error', new Error('again'));
    }
  });

  it('cancels the server-side subscription on unsubscribe, and completes open ones when the store closes', () => {
    const open = new OpenSubscriptions();
    const left = new FakeSubscription();
    const kept = new FakeSubscription();
    const first = collect(fakeClient(left).client, open, 0);
    const second = collect(fakeClient(kept).client, open, 0);

    first.subscription.unsubscribe();
    expect(left.unsubscribed).toBe(1);
    open.closeAll();
    expect(second.outcome.completed).toBe(true);
    expect(first.outcome.completed).toBe(false);
    expect(kept.unsubscribed).toBe(1);

    const late = collect(fakeClient(new FakeSubscription()).client, open, 0);
    expect(late.outcome.error).toBeInstanceOf(StoreUnavailableError);
  });

  it('refuses a negative or fractional position without dialling the server', () => {
    const { client, options } = fakeClient(new FakeSubscription());
    expect(collect(client, new OpenSubscriptions(), -1).outcome.error).toMatchObject({ code: 'invalid_event' });
    expect(collect(client, new OpenSubscriptions(), 1.5).outcome.error).toMatchObject({ code: 'invalid_event' });
    expect(options).toHaveLength(0);
  });
});
