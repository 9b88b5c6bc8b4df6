import type { JsonObject, JsonValue } from '../shared/json';
import { isSealedValue } from '../sealing/commitment';
import { EnvelopeFormatError, parseEnvelopes, toEnvelope, type Envelope } from '../sealing/envelope';
import type { PersonalDataKeyStore } from '../sealing/key-store';
import { parseFieldPath, valueAt } from '../sealing/field-path';
import { keyIdsOf, revealFields } from '../sealing/seal-fields';

/**
 * Read models keep no clear personal value of a sealed event. Where a projection stores a
 * personal-data value, it stores `personalCell(…)`: the value itself for an event written in clear,
 * and for a sealed one a *sealed cell*, the commitment with what opens it (the event id, the field
 * path and the envelope, which is ciphertext):
 *
 *     { "sealed": "sha256:…", "sealedCell": { "eventId", "fieldPath", "envelope" } }
 *
 * Queries hand cells on to readers who may see personal data (others get REDACTED as before), and
 * `revealSealedCells` opens them at the edge, with the key store, when the answer is sent. Once
 * the subject's key is destroyed, the cell opens to the erased marker: the read model needs no
 * rebuild for an erasure.
 */
export interface SealedCell {
  readonly sealed: string;
  readonly sealedCell: { readonly eventId: string; readonly fieldPath: string; readonly envelope: Envelope };
}

export const isSealedCell = (value: unknown): value is SealedCell =>
  isSealedValue({ sealed: (value as { sealed?: unknown } | null)?.sealed }) &&
  typeof (value as { sealedCell?: unknown }).sealedCell === 'object' &&
  (value as { sealedCell?: unknown }).sealedCell !== null;

/** The part of a projected event a cell needs. */
export interface EventWithEnvelopes {
  eventId: string;
  data: unknown;
  envelopes?: string;
}

const pointer = (field: string): string => `/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * The value of a top-level field of the event's data as a read model may store it: sealed values
 * within it (the field itself, or elements, e.g. each witness) become sealed cells. Undefined when
 * the field is absent.
 */
export function personalCell(event: EventWithEnvelopes, field: string): JsonValue | undefined {
  const value = (event.data as JsonObject | null)?.[field];
  if (value === undefined) return undefined;
  const envelopes = envelopesByPath(event);
  return envelopes.size === 0 ? value : withCells(value, pointer(field), event.eventId, envelopes);
}

/** personalCell as the JSON text a TEXT column keeps (`null` text when the field is absent); read back with parsePersonalColumn. */
export const personalColumn = (event: EventWithEnvelopes, field: string): string => JSON.stringify(personalCell(event, field) ?? null);

/** What personalColumn stored: the value (a string for free text) or a sealed cell, opened at the edge. */
export const parsePersonalColumn = <T = string>(text: string): T => JSON.parse(text) as T;

function withCells(value: JsonValue, path: string, eventId: string, envelopes: ReadonlyMap<string, Envelope>): JsonValue {
  if (isSealedValue(value)) {
    const envelope = envelopes.get(path);
    // A sealed value without its envelope stays the bare commitment: unreadable, never guessed.
    return envelope ? { sealed: value.sealed, sealedCell: { eventId, fieldPath: path, envelope: { ...envelope } } } : value;
  }
  if (Array.isArray(value)) return value.map((v, i) => withCells(v, `${path}/${i}`, eventId, envelopes));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withCells(v, `${path}${pointer(k)}`, eventId, envelopes)]));
  }
  return value;
}

function envelopesByPath(event: EventWithEnvelopes): Map<string, Envelope> {
  if (event.envelopes === undefined) return new Map();
  try {
    return new Map(parseEnvelopes(event.envelopes).map((e) => [e.fieldPath, e]));
  } catch (error) {
    if (error instanceof EnvelopeFormatError) return new Map();
    throw error;
  }
}

/**
 * Opens every sealed cell in an answer (any depth), with one key-store lookup: a cell becomes the
 * value, the erased marker when the key was destroyed, or the bare commitment when it cannot be
 * opened. Everything else is returned as it is.
 */
export async function revealSealedCells<T>(body: T, keys: Pick<PersonalDataKeyStore, 'lookup'>): Promise<T> {
  const cells: SealedCell[] = [];
  collectCells(body, cells);
  if (cells.length === 0) return body;
  const envelopes = cells.map((c) => toEnvelope(c.sealedCell.envelope));
  const lookup = await keys.lookup(keyIdsOf(envelopes));
  const opened = new Map<SealedCell, JsonValue>();
  cells.forEach((cell, i) => {
    // The envelope is bound to its event, path and commitment: open it in a skeleton of the event's data holding just this commitment.
    const { eventId, fieldPath } = cell.sealedCell;
    const skeleton = parseFieldPath(fieldPath).reduceRight<JsonValue>((inner, token) => Object.fromEntries([[token, inner]]), {
      sealed: cell.sealed,
    });
    const { data } = revealFields(eventId, skeleton, [envelopes[i]], lookup);
    opened.set(cell, valueAt(data, fieldPath) ?? { sealed: cell.sealed });
  });
  return replaceCells(body, opened) as T;
}

/** Plain JSON only: a stream or a buffer in an answer is passed on untouched. */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

function collectCells(value: unknown, into: SealedCell[]): void {
  if (isSealedCell(value)) into.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectCells(v, into));
  else if (isPlainObject(value)) Object.values(value).forEach((v) => collectCells(v, into));
}

function replaceCells(value: unknown, opened: ReadonlyMap<SealedCell, JsonValue>): unknown {
  if (isSealedCell(value)) return opened.get(value) ?? { sealed: value.sealed };
  if (Array.isArray(value)) return value.map((v) => replaceCells(v, opened));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceCells(v, opened)]));
  }
  return value;
}

/** An event's data with its sealed fields opened (values, erased markers, or commitments left as they are); for the live feed. */
export async function revealEventData(
  event: { eventId: string; data: JsonValue; envelopes?: string },
  keys: Pick<PersonalDataKeyStore, 'lookup'>,
): Promise<JsonValue> {
  const envelopes = [...envelopesByPath(event).values()];
  if (envelopes.length === 0) return event.data;
  const lookup = await keys.lookup(keyIdsOf(envelopes));
  return revealFields(event.eventId, event.data, envelopes, lookup).data;
}
