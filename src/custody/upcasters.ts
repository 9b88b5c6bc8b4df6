import type { JsonValue } from '../shared/json';
import { SEIZURE_EVENT_TYPES, type CustodyTransferAccepted, type SeizureEvent, type SeizureEventType } from './seizure';

/**
 * Stored events are never rewritten, so an event keeps the shape it was written in forever.
 * Each event's metadata says its `schemaVersion`; upcasters turn every older shape into the
 * current one as events are read, and only then do evolve and the projections see them.
 */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<SeizureEventType, number>> = Object.freeze({
  ...(Object.fromEntries(SEIZURE_EVENT_TYPES.map((type) => [type, 1])) as Record<SeizureEventType, number>),
  CustodyTransferAccepted: 2,
});

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
  return {
    ...rest,
    seals: sealNumbersFound.map((number) => ({ number, condition: sealsIntact ? ('intact' as const) : ('broken' as const) })),
  };
}

export class UnknownEventVersionError extends Error {
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
  ) {
    super(`no upcaster for ${type} schema version ${schemaVersion}; this release reads up to ${EVENT_SCHEMA_VERSIONS[type as SeizureEventType] ?? 'none'}`);
    this.name = 'UnknownEventVersionError';
  }
}

/** The current shape of a stored event, whatever version it was written in. */
export function upcastSeizureEvent(type: string, data: JsonValue, schemaVersion: number): SeizureEvent {
  const current = EVENT_SCHEMA_VERSIONS[type as SeizureEventType];
  if (current === undefined || schemaVersion > current || schemaVersion < 1 || !Number.isInteger(schemaVersion)) {
    throw new UnknownEventVersionError(type, schemaVersion);
  }
  if (type === 'CustodyTransferAccepted' && schemaVersion === 1) {
    return { type, data: upcastTransferAcceptedV1(data as unknown as CustodyTransferAcceptedV1) };
  }
  return { type, data } as unknown as SeizureEvent;
}
