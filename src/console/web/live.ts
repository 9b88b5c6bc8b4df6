import type { FeedEventData } from '../../read-models/live-feed/feed-message';
import { EVENT_TYPES } from './labels';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

const KEPT_EVENTS = 100;
const RECONNECT_MS = 15_000;

/**
 * The server's live feed (Server-Sent Events) of new events within the user's scope. EventSource
 * cannot send an Authorization header, so the token goes as ?access_token= (accepted on that one
 * route only). EventSource reconnects by itself with Last-Event-ID, missing nothing; when the
 * server refuses (an expired token, too many streams) it gives up, and this tries again later.
 */
export class LiveFeed {
  private source: EventSource | null = null;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(event: FeedEventData) => void>();
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  /** Newest first. */
  readonly recent: FeedEventData[] = [];
  status: LiveStatus = 'offline';

  connect(token: string): void {
    this.disconnect();
    const source = new EventSource(`/events/stream?access_token=${encodeURIComponent(token)}`);
    this.source = source;
    this.setStatus('connecting');
    // The feed names each message by its event type, so there is no generic onmessage to use.
    for (const type of EVENT_TYPES) source.addEventListener(type, (message) => this.receive((message as MessageEvent<string>).data));
    source.onopen = () => this.setStatus('live');
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        this.setStatus('reconnecting');
        return;
      }
      this.setStatus('offline');
      this.retry = setTimeout(() => {
        if (this.source === source) this.connect(token);
      }, RECONNECT_MS);
    };
  }

  disconnect(): void {
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.source?.close();
    this.source = null;
    this.setStatus('offline');
  }

  private receive(text: string): void {
    let event: FeedEventData;
    try {
      event = JSON.parse(text) as FeedEventData;
    } catch {
      return;
    }
    this.recent.unshift(event);
    this.recent.splice(KEPT_EVENTS);
    for (const listener of this.listeners) listener(event);
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  onEvent(listener: (event: FeedEventData) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
}
