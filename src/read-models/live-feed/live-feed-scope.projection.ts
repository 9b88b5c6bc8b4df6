import type { Database, Statement } from 'better-sqlite3';
import type { Projection } from '../../projections/projection';

/** Where a seizure was made: what decides whether a caller may see its events. */
export interface SeizurePlace {
  state: string;
  district: string;
}

const upserts = new WeakMap<Database, Statement<[string, string, string]>>();

/**
 * seizure → state and district, so the live feed can check any event's scope without reading
 * the seizure's stream. Only SeizureRecorded sets it: a seizure never moves.
 */
export const liveFeedScopeProjection: Projection = {
  name: 'live-feed-scope',
  version: 1,
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS live_feed_seizure_places (
      seizure_id TEXT PRIMARY KEY,
      state      TEXT NOT NULL,
      district   TEXT NOT NULL
    ) WITHOUT ROWID`);
  },
  teardown(db) {
    db.exec('DROP TABLE IF EXISTS live_feed_seizure_places');
    upserts.delete(db);
  },
  apply(db, event) {
    if (event.type !== 'SeizureRecorded') return;
    let upsert = upserts.get(db);
    if (upsert === undefined) {
      upsert = db.prepare('INSERT OR REPLACE INTO live_feed_seizure_places (seizure_id, state, district) VALUES (?, ?, ?)');
      upserts.set(db, upsert);
    }
    upsert.run(event.seizureId, event.data.location.state, event.data.location.district);
  },
};

/**
 * Reads a seizure's place as the projection stored it; undefined when it is not projected yet
 * (or the projector has never run, so there is no table yet).
 */
export function seizurePlaceReader(db: Database): (seizureId: string) => SeizurePlace | undefined {
  let select: Statement<[string], SeizurePlace> | undefined;
  return (seizureId) => {
    try {
      select ??= db.prepare('SELECT state, district FROM live_feed_seizure_places WHERE seizure_id = ?');
      return select.get(seizureId);
    } catch {
      select = undefined;
      return undefined;
    }
  };
}
