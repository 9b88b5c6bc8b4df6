import { seizureStreamName, type SeizureEvent } from '../../custody/events';
import { initialSeizureState, type SeizureState } from '../../custody/state';
import { evolve } from '../../custody/evolve';
import type { SeizureCommand } from '../../custody/command';
import { decide } from '../../custody/decide';
import { EVENT_SCHEMA_VERSIONS } from '../../custody/upcasters';
import { GENESIS_HASH, canonicalJson, computeEventHash } from '../../ledger/hash-chain';
import type { Actor } from '../../shared/actor';
import type { JsonValue } from '../../shared/json';
import type { ProjectedEvent } from '../../projections/projection';

/**
 * Builds the events projections see the way the ledger would: commands decided by the real
 * `decide` on the folded state, chained with real hashes, at dense global positions. Tests then
 * feed these to a projection, so the read models are tested against histories decide can produce.
 * Excluded from the build (tsconfig.build.json).
 */
export class LedgerScenario {
  readonly events: ProjectedEvent[] = [];
  private readonly streams = new Map<string, { state: SeizureState; revision: number; prevHash: string }>();
  private eventCounter = 0;

  /** Decides a command as `actor` at `now`, records the resulting events and returns them. */
  run(seizureId: string, command: SeizureCommand, actor: Actor, now: string): ProjectedEvent[] {
    const stream = this.streams.get(seizureId) ?? { state: initialSeizureState(), revision: -1, prevHash: GENESIS_HASH };
    const decided = decide(command, stream.state, { actor, now });
    return decided.map((event) => {
      const recorded = this.append(seizureId, event, actor, now, stream);
      stream.state = evolve(stream.state, { ...event, eventId: recorded.eventId, actorSub: actor.sub, occurredAt: now });
      this.streams.set(seizureId, stream);
      return recorded;
    });
  }

  /**
   * Records an event as given, bypassing decide: for histories decide would refuse today but
   * that may still be in a log (an older release, an import), which projections must still fold.
   */
  force(seizureId: string, event: SeizureEvent, actor: Actor, now: string): ProjectedEvent {
    const stream = this.streams.get(seizureId) ?? { state: initialSeizureState(), revision: -1, prevHash: GENESIS_HASH };
    const recorded = this.append(seizureId, event, actor, now, stream);
    stream.state = evolve(stream.state, { ...event, eventId: recorded.eventId, actorSub: actor.sub, occurredAt: now });
    this.streams.set(seizureId, stream);
    return recorded;
  }

  stateOf(seizureId: string): SeizureState {
    return this.streams.get(seizureId)?.state ?? initialSeizureState();
  }

  private append(
    seizureId: string,
    event: SeizureEvent,
    actor: Actor,
    now: string,
    stream: { revision: number; prevHash: string },
  ): ProjectedEvent {
    this.eventCounter += 1;
    const eventId = `00000000-0000-4000-8000-${this.eventCounter.toString(16).padStart(12, '0')}`;
    const streamName = seizureStreamName(seizureId);
    const revision = stream.revision + 1;
    const metadata = {
      actor: { sub: actor.sub, name: actor.name, unit: actor.unit, agency: actor.agency, roles: [...actor.roles] },
      occurredAt: now,
      command: 'test',
      schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
    };
    const hash = computeEventHash({
      streamName,
      revision,
      eventId,
      type: event.type,
      dataText: canonicalJson(event.data as unknown as JsonValue),
      metadataText: canonicalJson(metadata),
      prevHash: stream.prevHash,
    });
    stream.revision = revision;
    stream.prevHash = hash;
    const projected = {
      ...event,
      streamName,
      seizureId,
      revision,
      globalPosition: this.events.length + 1,
      eventId,
      hash,
      recordedAt: now,
      metadata,
    } as ProjectedEvent;
    this.events.push(projected);
    return projected;
  }
}
