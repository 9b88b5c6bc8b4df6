import { v7 as timeOrderedUuid } from 'uuid';
import type { Actor } from '../shared/actor';
import type { JsonObject, JsonValue } from '../shared/json';
import { StreamNotFoundError, WrongExpectedRevisionError } from '../ledger/errors';
import type { EventStore, RecordedEvent } from '../ledger/event-store';
import { assertAppendAllowed } from '../ledger/expected-revision';
import { seizureStreamName, type SeizureEvent, type SeizureEventEnvelope } from './events';
import { initialSeizureState, type SeizureState } from './state';
import { evolve } from './evolve';
import type { CommandContext } from './command-context';
import type { SeizureCommand } from './command';
import { decide } from './decide';
import { EVENT_SCHEMA_VERSIONS, upcastSeizureEvent } from './upcasters';
import { isSealedEvent, NO_SEALING, type PersonalDataSealing, type ShredOutcome } from './sealing/personal-data-sealing';
import type { FieldReveal } from '../sealing/seal-fields';
import { withholdErasedInClear } from './sealing/erased-in-clear';
import { keysToShred } from './sealing/erasure-keys';

export interface CommandOutcome {
  seizureId: string;
  /** The stream's revision after the command: the new ETag. */
  revision: number;
  /** Global position of the last event written, for read-your-writes on the query side. */
  globalPosition: number | null;
  events: Array<{ eventId: string; type: SeizureEvent['type'] }>;
  /** For an erasure: whether its keys are destroyed for good, or a copy awaits the next attempt. */
  shredding?: ShredOutcome;
}

export interface LoadedSeizure {
  state: SeizureState;
  /** Last revision of the stream, or null when it has no events. */
  revision: number | null;
  /** The events with their sealed personal data revealed (as far as the keys allow): what decide and views read. */
  events: RecordedEvent[];
  /** The events exactly as stored (sealed fields as commitments): what hashes and evidence are about. */
  stored: RecordedEvent[];
  /** How each sealed field of an event came out, by event id; absent for events in clear. */
  reveals: ReadonlyMap<string, FieldReveal[]>;
}

/** Who recorded a stored event, as its metadata names them; '' if it names no one. */
const actorSubOf = (actor: JsonValue | undefined): string => {
  const sub = actor !== null && typeof actor === 'object' && !Array.isArray(actor) ? actor.sub : undefined;
  return typeof sub === 'string' ? sub : '';
};

/** Events written before schema versions were recorded are version 1. */
export const schemaVersionOf = (e: RecordedEvent): number => (typeof e.metadata.schemaVersion === 'number' ? e.metadata.schemaVersion : 1);

export const toEnvelope = (e: RecordedEvent): SeizureEventEnvelope => ({
  ...upcastSeizureEvent(e.type, e.data, schemaVersionOf(e)),
  eventId: e.id,
  actorSub: actorSubOf(e.metadata.actor),
  // The decided instant, which the hash covers; the store's commit time for an event that names none.
  occurredAt: typeof e.metadata.occurredAt === 'string' ? e.metadata.occurredAt : e.recordedAt,
  sealed: isSealedEvent(e),
});

export async function loadSeizure(store: EventStore, seizureId: string, sealing: PersonalDataSealing = NO_SEALING): Promise<LoadedSeizure> {
  let stored: RecordedEvent[];
  try {
    stored = await store.readStream(seizureStreamName(seizureId));
  } catch (error) {
    if (error instanceof StreamNotFoundError)
      return { state: initialSeizureState(), revision: null, events: [], stored: [], reveals: new Map() };
    throw error;
  }
  const revealed = await sealing.reveal(stored);
  const events = withholdErasedInClear(revealed.map((r) => r.event));
  const state = events.map(toEnvelope).reduce(evolve, initialSeizureState());
  const reveals = new Map(revealed.filter((r) => r.fields.length > 0).map((r) => [r.event.id, r.fields]));
  return { state, revision: stored[stored.length - 1].revision, events, stored, reveals };
}

const actorMetadata = (actor: Actor): JsonObject => ({
  sub: actor.sub,
  name: actor.name,
  unit: actor.unit,
  agency: actor.agency,
  roles: actor.roles,
});

export interface CommandOptions {
  expectedRevision?: number;
  newEventId?: () => string;
  /** Seals personal data on append and reveals it on load; without it, events are written in clear. */
  sealing?: PersonalDataSealing;
}

/**
 * Read → fold → decide → append. With `expectedRevision` (from If-Match) a stale caller gets
 * WrongExpectedRevisionError; without it the command is decided on the latest state and retried
 * once if another writer got in between.
 */
export async function handleSeizureCommand(
  store: EventStore,
  seizureId: string,
  command: SeizureCommand,
  ctx: CommandContext,
  options: CommandOptions = {},
): Promise<CommandOutcome> {
  // Time-ordered ids (UUIDv7) reach the event-id index in ascending order: an append touches its last page, not a random one.
  const newEventId = options.newEventId ?? timeOrderedUuid;
  const sealing = options.sealing ?? NO_SEALING;
  if (command.type === 'RecordSeizure' && options.expectedRevision === undefined) {
    const recorded = await recordOnNewStream({ store, sealing, stored: [] }, seizureId, command, ctx, newEventId);
    if (recorded !== undefined) return recorded;
    // The stream exists after all (a retried record, or a clash of ids), or the command is refused:
    // decide on what is stored, exactly as below, so the answer is the same as without the shortcut.
  }
  for (let attempt = 1; ; attempt++) {
    const { state, revision, stored } = await loadSeizure(store, seizureId, sealing);
    if (options.expectedRevision !== undefined)
      assertAppendAllowed(seizureStreamName(seizureId), options.expectedRevision, revision ?? null);
    const events = decide(command, state, ctx);
    if (events.length === 0) return { seizureId, revision: revision ?? -1, globalPosition: null, events: [] };

    try {
      return await appendDecided(
        { store, sealing, stored },
        seizureId,
        newEvents(events, command, ctx, newEventId),
        revision ?? 'no_stream',
      );
    } catch (error) {
      const retry = error instanceof WrongExpectedRevisionError && options.expectedRevision === undefined && attempt < 2;
      if (!retry) throw error;
    }
  }
}

const newEvents = (events: readonly SeizureEvent[], command: SeizureCommand, ctx: CommandContext, newEventId: () => string) =>
  events.map((e) => ({
    id: newEventId(),
    type: e.type,
    data: e.data as unknown as JsonValue,
    metadata: { actor: actorMetadata(ctx.actor), occurredAt: ctx.now, command: command.type, schemaVersion: EVENT_SCHEMA_VERSIONS[e.type] },
  }));

/** Where decided events go: the store, the sealing of their personal data, and the stream's events so far. */
interface AppendTarget {
  store: EventStore;
  sealing: PersonalDataSealing;
  stored: readonly RecordedEvent[];
}

/** Seal (keys durable first), append with the envelopes, then mark the keys used. */
async function appendDecided(
  { store, sealing, stored }: AppendTarget,
  seizureId: string,
  toAppend: ReturnType<typeof newEvents>,
  expectedRevision: number | 'no_stream',
): Promise<CommandOutcome> {
  const sealed = await sealing.seal(seizureId, stored, toAppend);
  const result = await store.appendToStream(seizureStreamName(seizureId), sealed.events, { expectedRevision });
  await sealing.markUsed(sealed.keyIds);
  const shredding = await shredRecordedErasures(sealing, seizureId, toAppend, stored);
  return {
    seizureId,
    revision: result.nextExpectedRevision,
    globalPosition: result.lastGlobalPosition,
    events: toAppend.map((e) => ({ eventId: e.id, type: e.type })),
    ...(shredding && { shredding }),
  };
}

/** The keys go once the erasure is recorded, never before: an erasure is never left unexplained in the log. */
async function shredRecordedErasures(
  sealing: PersonalDataSealing,
  seizureId: string,
  appended: ReturnType<typeof newEvents>,
  stored: readonly RecordedEvent[],
): Promise<ShredOutcome | undefined> {
  let outcome: ShredOutcome | undefined;
  for (const e of appended) {
    if (e.type !== 'PersonalDataErased') continue;
    const data = e.data as unknown as Extract<SeizureEvent, { type: 'PersonalDataErased' }>['data'];
    const result = await sealing.shred(seizureId, {
      eventId: e.id,
      orderReference: data.orderReference,
      subjects: keysToShred(data, stored),
    });
    outcome = outcome === 'pending' ? outcome : result;
  }
  return outcome;
}

/**
 * A seizure is recorded on a stream that does not exist yet, nearly always: its id is a fresh UUID
 * from the device. So the record is decided on the empty state and appended with 'no_stream',
 * without reading the stream first (and without the store's not-found error for every new
 * seizure). Returns undefined, having written nothing, when that does not settle it: the stream
 * exists (the store refuses 'no_stream'), or decide refuses the record on the empty state (it
 * might answer otherwise on a stored one, e.g. a retried record is a no-op whatever its fields).
 * The caller then decides on the stored state as for any command.
 */
async function recordOnNewStream(
  target: AppendTarget,
  seizureId: string,
  command: SeizureCommand,
  ctx: CommandContext,
  newEventId: () => string,
): Promise<CommandOutcome | undefined> {
  let events: SeizureEvent[];
  try {
    events = decide(command, initialSeizureState(), ctx);
  } catch {
    return undefined;
  }
  if (events.length === 0) return undefined;
  try {
    return await appendDecided(target, seizureId, newEvents(events, command, ctx, newEventId), 'no_stream');
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return undefined;
    throw error;
  }
}
