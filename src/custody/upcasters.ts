import type { JsonValue } from '../shared/json';
import { sanitiseLegacyEvent, type OlderRulesMark } from './legacy-sanitiser';
import { SEIZURE_EVENT_TYPES, type CustodyTransferAccepted, type SeizureEvent, type SeizureEventType } from './events';

export type { OlderRulesMark } from './legacy-sanitiser';

/**
 * Stored events are never rewritten, so an event keeps the shape it was written in forever.
 * Each event's metadata says its `schemaVersion`; upcasters turn every older shape into the
 * current one as events are read, and only then do evolve and the projections see them.
 *
 * The current versions are also where today's rules begin: every type was bumped once when input
 * validation was tightened, so an event of an older version was accepted under older rules and
 * may hold what today's would refuse. Such events go through the legacy sanitiser on read and
 * carry an OlderRulesMark saying so.
 */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<SeizureEventType, number>> = Object.freeze({
  ...(Object.fromEntries(SEIZURE_EVENT_TYPES.map((type) => [type, 2])) as Record<SeizureEventType, number>),
  CustodyTransferAccepted: 3,
});

/** An event in its current shape; marked when it was stored under older rules. */
export type UpcastSeizureEvent = SeizureEvent & { recordedUnderOlderRules?: OlderRulesMark };

/** CustodyTransferAccepted as schema version 1 stored it. */
export interface CustodyTransferAcceptedV1 {
  transferId: string;
  itemIds: string[];
  from: CustodyTransferAccepted['data']['from'];
  to: CustodyTransferAccepted['data']['to'];
  /** One verdict for all seals together. */
  sealsIntact: boolean;
  /** The seal numbers the recipient found; a handed-over seal not listed was missing. */
  sealNumbersFound: string[];
  countedQuantities: Array<{ itemId: string; quantity: number }>;
  remarks: string;
}

/**
 * v1 → v2: every seal found gets the single verdict v1 recorded. A seal that v1 did not list was
 * missing, but v1 did not name the seals handed over, so it cannot be listed here; the
 * DiscrepancyRecorded event written with it still says so.
 */
export function upcastTransferAcceptedV1(v1: CustodyTransferAcceptedV1): CustodyTransferAccepted['data'] {
  const { sealsIntact, sealNumbersFound, ...rest } = v1;
  // Read defensively: a v1 event is also a legacy event, and the sanitiser fills what it lacks.
  const found = Array.isArray(sealNumbersFound) ? sealNumbersFound : [];
  return {
    ...rest,
    seals: found.map((number) => ({ number, condition: sealsIntact ? ('intact' as const) : ('broken' as const) })),
  };
}

export class UnknownEventVersionError extends Error {
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
  ) {
    super(
      `no upcaster for ${type} schema version ${schemaVersion}; this release reads up to ${EVENT_SCHEMA_VERSIONS[type as SeizureEventType] ?? 'none'}`,
    );
    this.name = 'UnknownEventVersionError';
  }
}

/**
 * The current shape of a stored event, whatever version it was written in. Older versions are
 * first brought to the last shape of the older rules (v1 → v2 for CustodyTransferAccepted), then
 * sanitised, which yields the current shape: the shapes did not change when the rules did.
 */
export function upcastSeizureEvent(type: string, data: JsonValue, schemaVersion: number): UpcastSeizureEvent {
  const current = EVENT_SCHEMA_VERSIONS[type as SeizureEventType];
  if (current === undefined || schemaVersion > current || schemaVersion < 1 || !Number.isInteger(schemaVersion)) {
    throw new UnknownEventVersionError(type, schemaVersion);
  }
  if (schemaVersion === current) return { type, data } as unknown as SeizureEvent;
  const eventType = type as SeizureEventType;
  const olderShape = eventType === 'CustodyTransferAccepted' && schemaVersion === 1 ? toOlderRulesShape(data) : data;
  const { data: sanitised, findings } = sanitiseLegacyEvent(eventType, olderShape);
  return { type, data: sanitised, recordedUnderOlderRules: { schemaVersion, findings } } as unknown as UpcastSeizureEvent;
}

/** The mark of a stored event written under older rules, or null for one written under today's or one this release cannot read. */
export function olderRulesMarkOf(e: { type: string; data: JsonValue; metadata: { [key: string]: JsonValue } }): OlderRulesMark | null {
  // Events written before versioning carried no schemaVersion: they are version 1.
  const version = typeof e.metadata.schemaVersion === 'number' ? e.metadata.schemaVersion : 1;
  try {
    return upcastSeizureEvent(e.type, e.data, version).recordedUnderOlderRules ?? null;
  } catch {
    return null;
  }
}

const toOlderRulesShape = (v1: JsonValue): JsonValue =>
  upcastTransferAcceptedV1(
    (typeof v1 === 'object' && v1 !== null ? v1 : {}) as unknown as CustodyTransferAcceptedV1,
  ) as unknown as JsonValue;
