import type { JsonObject, JsonValue } from '../../shared/json';
import { envelopesBeside, serializeEnvelopes } from '../../sealing/envelope';
import { ErasureIncompleteError, type ErasureReference, type PersonalDataKeyStore, type SubjectKey } from '../../sealing/key-store';
import { keyIdsOf, revealFields, sealFields, type FieldReveal } from '../../sealing/seal-fields';
import { isDataSubject, type DataSubject } from '../../sealing/subjects';
import { fieldsToSeal, orderNumberIn, releaseOrdinals } from './sealed-fields';
import type { SubjectToShred } from './erasure-keys';

/**
 * What a sealed event says in its metadata (hashed): its listed personal-data fields hold
 * commitments, their values are in the envelopes beside it. Events without it are in clear.
 */
export const SEALING_FORMAT = 1;

export const isSealedEvent = (e: { metadata: { [key: string]: JsonValue } }): boolean => e.metadata.sealing === SEALING_FORMAT;

/** The part of a new event sealing reads and writes (the ledger's NewEvent, kept structural so the domain stays free of the store). */
export interface EventToSeal {
  id: string;
  type: string;
  data: JsonValue;
  metadata?: JsonObject;
  envelopes?: string;
}

/** The part of a stored event revealing reads (the ledger's RecordedEvent). */
export interface StoredEventToReveal {
  id: string;
  type: string;
  data: JsonValue;
  envelopes?: string;
}

/** A stored event with its sealed fields opened (as far as their keys allow), and how each came out. */
export interface RevealedEvent<E extends StoredEventToReveal> {
  /** The event as stored, hashes and all, but with `data` revealed: what decide, evolve and views read. */
  event: E;
  /** One entry per envelope; empty for an event in clear. A revealed field carries its salt, for evidence. */
  fields: FieldReveal[];
}

export interface SealedAppend<E extends EventToSeal> {
  events: E[];
  /** The keys the envelopes use: mark them used once the append succeeded. */
  keyIds: string[];
}

/** An erasure recorded in the log, to carry out: its event, the order it names, and whose keys go (see keysToShred). */
export interface ErasureToShred extends ErasureReference {
  subjects: readonly SubjectToShred[];
}

/** `done`: every key is gone, WAL copies included; `pending`: a copy may remain until the erasure is carried out again. */
export type ShredOutcome = 'done' | 'pending';

/** Injection token of the sealing the HTTP controllers pass to the command handler and loadSeizure. */
export const PERSONAL_DATA_SEALING = Symbol('PersonalDataSealing');

/**
 * Seals the personal data of new events before they are appended, and opens it when events are
 * read for deciding or showing. The command handler's one collaborator for it.
 */
export interface PersonalDataSealing {
  /** `stored`: the seizure's events so far (release ordinals come from them). Keys are durable when this resolves. */
  seal<E extends EventToSeal>(seizureId: string, stored: readonly StoredEventToReveal[], events: readonly E[]): Promise<SealedAppend<E>>;
  markUsed(keyIds: readonly string[]): Promise<void>;
  reveal<E extends StoredEventToReveal>(events: readonly E[]): Promise<Array<RevealedEvent<E>>>;
  /**
   * Carries out a recorded erasure: destroys the keys that sealed what it lists. Safe to repeat
   * (after a crash, or a key store restored from a backup older than the erasure).
   */
  shred(seizureId: string, erasure: ErasureToShred): Promise<ShredOutcome>;
}

/** No key store: new events stay in clear, stored ones are read as they are (tools and tests that do not seal). */
export const NO_SEALING: PersonalDataSealing = {
  seal: <E extends EventToSeal>(_seizureId: string, _stored: unknown, events: readonly E[]) =>
    Promise.resolve({ events: [...events], keyIds: [] }),
  markUsed: () => Promise.resolve(),
  reveal: <E extends StoredEventToReveal>(events: readonly E[]) => Promise.resolve(events.map((event) => ({ event, fields: [] }))),
  // Nothing was sealed, so there is no key to destroy.
  shred: () => Promise.resolve('done'),
};

const orderNumbersOf = (events: ReadonlyArray<{ type: string; data: JsonValue }>): string[] =>
  events.flatMap((e) =>
    e.type === 'ReleaseOrdered' && typeof e.data === 'object' && e.data !== null && !Array.isArray(e.data) ? [orderNumberIn(e.data)] : [],
  );

/** Sealing with the personal-data key store: one key per data subject per seizure. */
export class KeyStoreSealing implements PersonalDataSealing {
  constructor(private readonly keys: PersonalDataKeyStore) {}

  async seal<E extends EventToSeal>(
    seizureId: string,
    stored: readonly StoredEventToReveal[],
    events: readonly E[],
  ): Promise<SealedAppend<E>> {
    const ordinalOf = releaseOrdinals(orderNumbersOf([...stored, ...events]));
    const plans = events.map((e) => fieldsToSeal(e.type, e.data, ordinalOf));
    const subjects = [...new Set(plans.flat().map((f) => f.subject))];
    // One commit for the command's keys, synced before any append that uses them.
    const keys = subjects.length === 0 ? [] : await this.keys.keysFor(seizureId, subjects);
    const keyBySubject = new Map<DataSubject, SubjectKey>(subjects.map((subject, i) => [subject, keys[i]]));
    const sealed = events.map((e, i): E => {
      const plan = plans[i];
      if (plan.length === 0) return e;
      const subjectOf = new Map(plan.map((f) => [f.fieldPath, f.subject]));
      const keyOf = (fieldPath: string): SubjectKey => keyBySubject.get(subjectOf.get(fieldPath) as DataSubject) as SubjectKey;
      const { sealedData, envelopes } = sealFields(
        e.id,
        e.data,
        plan.map((f) => f.fieldPath),
        keyOf,
      );
      return { ...e, data: sealedData, metadata: { ...e.metadata, sealing: SEALING_FORMAT }, envelopes: serializeEnvelopes(envelopes) };
    });
    return { events: sealed, keyIds: [...keyBySubject.values()].map((k) => k.keyId) };
  }

  markUsed(keyIds: readonly string[]): Promise<void> {
    return keyIds.length === 0 ? Promise.resolve() : this.keys.markUsed(keyIds);
  }

  async shred(seizureId: string, erasure: ErasureToShred): Promise<ShredOutcome> {
    const subjects = erasure.subjects.flatMap(({ subject, keyIds }) =>
      isDataSubject(subject) && keyIds.length > 0 ? [{ subject, keyIds }] : [],
    );
    if (subjects.length === 0) return 'done';
    try {
      await this.keys.destroyForErasure(seizureId, { eventId: erasure.eventId, orderReference: erasure.orderReference }, subjects);
      return 'done';
    } catch (error) {
      if (error instanceof ErasureIncompleteError) return 'pending';
      throw error;
    }
  }

  async reveal<E extends StoredEventToReveal>(events: readonly E[]): Promise<Array<RevealedEvent<E>>> {
    const envelopesOf = events.map((e) => envelopesBeside(e.envelopes));
    const keyIds = keyIdsOf(envelopesOf.flat());
    if (keyIds.length === 0) return events.map((event) => ({ event, fields: [] }));
    const lookup = await this.keys.lookup(keyIds);
    return events.map((event, i) => {
      if (envelopesOf[i].length === 0) return { event, fields: [] };
      const { data, fields } = revealFields(event.id, event.data, envelopesOf[i], lookup);
      return { event: { ...event, data }, fields };
    });
  }
}
