import type { FeedEventData } from '../../read-models/live-feed/feed-message';
import type { Api } from './api';
import type { LiveFeed } from './live';
import type { Session } from './session';

/** What every page gets: the API as the signed-in user, who that is, and ways to move on. */
export interface AppContext {
  api: Api;
  /** Null only on the pages open without signing in (sign-in, the bundle verifier). */
  session: Session | null;
  /** Route parameters, e.g. the seizure id of #/seizures/<id>, and the hash's query. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  navigate(hash: string): void;
  /** A short message read out by screen readers and shown briefly. */
  notify(message: string): void;
  /** The live feed: its status and the latest events. */
  live: LiveFeed;
  /** Signs in with a token the server accepted. */
  signIn(session: Session): void;
}

export interface Page {
  /** The document title and the page's h1 (plain text; the h1 may add Hindi). */
  title: string;
  render(main: HTMLElement, context: AppContext): Promise<void>;
  /** A new event within the user's scope arrived on the live feed. */
  onLiveEvent?(event: FeedEventData, context: AppContext): void;
  dispose?(): void;
}

/** Runs `work` at most once per `ms`, trailing: bursts of live events cause one refresh. */
export function debounce(work: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      work();
    }, ms);
  };
}
