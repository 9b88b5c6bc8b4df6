import type { Actor } from '../../src/shared/actor';
import type { JsonObject, JsonValue } from '../../src/shared/json';
import type { ExpectedRevision, NewEvent } from '../../src/ledger/event-store';
import type { SeizedItem } from '../../src/custody/values';
import { seizureStreamName, type SeizureEventType } from '../../src/custody/events';
import { initialSeizureState } from '../../src/custody/state';
import { evolve } from '../../src/custody/evolve';
import { decide } from '../../src/custody/decide';
import { EVENT_SCHEMA_VERSIONS } from '../../src/custody/upcasters';
import { LANES, Random } from './random';
import type { SeizurePlan } from './seizure-plan';

/**
 * Runs a seizure's commands through the domain's own decide and evolve, so the events are exactly
 * those the application would append, metadata included (as src/custody/handle-command.ts writes
 * it). A command that decide refuses, or answers with other events than planned, is a bug in the
 * generator and stops the run.
 */

export interface GeneratedAppend {
  expectedRevision: ExpectedRevision;
  events: NewEvent[];
}

export interface GeneratedSeizure {
  index: number;
  seizureId: string;
  streamName: string;
  district: string;
  items: SeizedItem[];
  /** One per command, in order: append each with its expected revision. */
  appends: GeneratedAppend[];
  eventCount: number;
}

/** The metadata handle-command.ts writes on every event. */
export function commandMetadata(actor: Actor, now: string, command: string, type: SeizureEventType): JsonObject {
  return {
    actor: { sub: actor.sub, name: actor.name, unit: actor.unit, agency: actor.agency, roles: actor.roles },
    occurredAt: now,
    command,
    schemaVersion: EVENT_SCHEMA_VERSIONS[type],
  };
}

/** Where the bench's append clock starts: the 2024 Model Code of Conduct. */
const APPEND_CLOCK_START_MS = Date.parse('2024-03-16T00:00:00.000Z');

/**
 * The event ids of one seizure, as the server would give them (UUIDv7 at append time): the bench
 * appends seizures in index order, so seizure i's events get the milliseconds after i × 16.
 */
export function eventIdsOf(seed: number, seizureIndex: number): () => string {
  const random = new Random(seed, seizureIndex, LANES.eventIds);
  let ms = APPEND_CLOCK_START_MS + seizureIndex * 16;
  return () => random.uuidV7(ms++);
}

export function playSeizure(plan: SeizurePlan, seed: number): GeneratedSeizure {
  const nextEventId = eventIdsOf(seed, plan.index);
  let state = initialSeizureState();
  let revision: number | null = null;
  const appends: GeneratedAppend[] = [];
  for (const step of plan.commands) {
    let decided;
    try {
      decided = decide(step.command, state, { actor: step.actor, now: step.now });
    } catch (error) {
      throw new Error(`seizure #${plan.index}: ${step.command.type} by ${step.actor.sub} was refused: ${(error as Error).message}`);
    }
    if (decided.length !== step.expectedEvents) {
      throw new Error(
        `seizure #${plan.index}: ${step.command.type} produced ${decided.map((e) => e.type).join(', ')}, not ${step.expectedEvents} events`,
      );
    }
    const events: NewEvent[] = decided.map((e) => ({
      id: nextEventId(),
      type: e.type,
      data: e.data as unknown as JsonValue,
      metadata: commandMetadata(step.actor, step.now, step.command.type, e.type),
    }));
    appends.push({ expectedRevision: revision ?? 'no_stream', events });
    decided.forEach((e, i) => {
      state = evolve(state, { ...e, eventId: events[i].id, actorSub: step.actor.sub, occurredAt: step.now });
    });
    revision = (revision ?? -1) + decided.length;
  }
  return {
    index: plan.index,
    seizureId: plan.seizureId,
    streamName: seizureStreamName(plan.seizureId),
    district: plan.district.code,
    items: plan.record.data.items,
    appends,
    eventCount: (revision ?? -1) + 1,
  };
}
