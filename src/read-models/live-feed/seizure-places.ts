import type { Database } from 'better-sqlite3';
import { StreamNotFoundError } from '../../ledger/errors';
import type { EventStore } from '../../ledger/event-store';
import { seizureStreamName } from '../../custody/events';
import { toProjectedEvent, type Upcaster } from '../../projections/projected-event';
import { seizurePlaceReader, type SeizurePlace } from './live-feed-scope.projection';

const DEFAULT_MAX_CACHED = 10_000;

/**
 * Where each seizure was made, for scope checks on every event of the feed. Looked up in a small
 * in-memory cache (least recently used go first), then in the live-feed-scope read model; only a
 * seizure the projector has not reached yet (a client resuming while the server catches up)
 * costs one read of its first event.
 */
export class SeizurePlaces {
  private readonly cache = new Map<string, SeizurePlace>();
  private readonly stored: (seizureId: string) => SeizurePlace | undefined;

  constructor(
    db: Database,
    private readonly store: EventStore,
    private readonly options: { maxCached?: number; upcast?: Upcaster } = {},
  ) {
    this.stored = seizurePlaceReader(db);
  }

  remember(seizureId: string, place: SeizurePlace): void {
    this.cache.delete(seizureId);
    this.cache.set(seizureId, { state: place.state, district: place.district });
    if (this.cache.size > (this.options.maxCached ?? DEFAULT_MAX_CACHED)) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
  }

  /** The seizure's place, or null when the seizure was never recorded (nobody may see it then). */
  async placeOf(seizureId: string): Promise<SeizurePlace | null> {
    const cached = this.cache.get(seizureId);
    if (cached !== undefined) {
      this.remember(seizureId, cached);
      return cached;
    }
    const place = this.stored(seizureId) ?? (await this.readFromLog(seizureId));
    if (place !== null) this.remember(seizureId, place);
    return place;
  }

  private async readFromLog(seizureId: string): Promise<SeizurePlace | null> {
    try {
      const [first] = await this.store.readStream(seizureStreamName(seizureId), { maxCount: 1 });
      const event = first === undefined ? null : toProjectedEvent(first, this.options.upcast);
      return event?.type === 'SeizureRecorded' ? event.data.location : null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
  }
}
