import BetterSqlite3, { type Database } from 'better-sqlite3';
import type { Custodian } from '../../src/custody/values';
import type { SeizureEvent } from '../../src/custody/events';
import { EVENT_SCHEMA_VERSIONS } from '../../src/custody/upcasters';
import type { ProjectedEvent, Projection } from '../../src/projections/projection';
import type { Actor } from '../../src/shared/actor';
import { actors } from './custody-fixtures';

/**
 * A log of events as the projector hands them to projections: global positions 1, 2, 3, …,
 * a revision per stream, and the actor and time in the metadata. Tests state only what matters
 * (the event, when, by whom); everything else is filled in consistently.
 */
export class ProjectedEventLog {
  private position = 0;
  private readonly revisions = new Map<string, number>();
  readonly events: ProjectedEvent[] = [];

  append(seizureId: string, event: SeizureEvent, occurredAt: string, actor: Actor = actors.flyingSquad): ProjectedEvent {
    const streamName = `seizure-${seizureId}`;
    const revision = (this.revisions.get(streamName) ?? -1) + 1;
    this.revisions.set(streamName, revision);
    this.position += 1;
    const projected = {
      ...event,
      streamName,
      seizureId,
      revision,
      globalPosition: this.position,
      eventId: `00000000-0000-4000-8000-${String(this.position).padStart(12, '0')}`,
      hash: this.position.toString(16).padStart(64, '0'),
      recordedAt: occurredAt,
      metadata: {
        actor: { sub: actor.sub, name: actor.name, unit: actor.unit, agency: actor.agency, roles: [...actor.roles] },
        occurredAt,
        command: 'test',
        schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
      },
    } as ProjectedEvent;
    this.events.push(projected);
    return projected;
  }
}

/** A fresh in-memory database with the projection's tables. */
export function projectionDatabase(projection: Projection): Database {
  const db = new BetterSqlite3(':memory:');
  projection.setup(db);
  return db;
}

/** Applies events as the projector does: each in its own transaction, in order. */
export function applyAll(db: Database, projection: Projection, events: readonly ProjectedEvent[]): void {
  for (const event of events) db.transaction(() => projection.apply(db, event))();
}

export const treasuryOf = (id: string, name = `Treasury ${id}`): Custodian => ({ kind: 'treasury', id, name });
