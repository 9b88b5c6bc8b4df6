import { foldCases, retentionClockStartsAt, type CaseFold } from '../../custody/cases';
import type { SeizureEventEnvelope } from '../../custody/events';
import { foldPersonalData, type PersonalDataInventory } from '../../custody/personal-data-inventory';
import { releaseOrdinals } from '../../custody/sealing/sealed-fields';

/**
 * What the retention read model keeps of a seizure to answer as decide would: the cases, the items
 * still held, the last change of custody (retentionClockStartsAt's inputs) and the personal-data
 * inventory (foldPersonalData's). Field references and case references only, never a personal value.
 */
export interface RetentionFold extends CaseFold {
  heldItemIds: string[];
  /** The distinct order numbers of ReleaseOrdered, in stream order: release-recipient-<n> is the n-th. */
  releaseOrderNumbers: string[];
  personalData: PersonalDataInventory;
}

/** The fold after the seizure's first SeizureRecorded, as evolve's firstRecorded starts it. */
export function firstRetentionFold(envelope: SeizureEventEnvelope & { type: 'SeizureRecorded' }): RetentionFold {
  return {
    cases: [],
    allCasesClosedSince: null,
    lastCustodyEventAt: envelope.occurredAt,
    heldItemIds: envelope.data.items.map((item) => item.itemId),
    releaseOrderNumbers: [],
    personalData: foldPersonalData({}, envelope, () => 1),
  };
}

/** The fold after one more event, exactly as evolve changes the same parts of the seizure's state. */
export function foldRetention(before: RetentionFold, envelope: SeizureEventEnvelope): RetentionFold {
  const next: RetentionFold = {
    ...before,
    ...foldCases(before, envelope),
    personalData: foldPersonalData(before.personalData, envelope, releaseOrdinals(before.releaseOrderNumbers)),
  };
  switch (envelope.type) {
    case 'ReleaseOrdered':
      return before.releaseOrderNumbers.includes(envelope.data.orderNumber)
        ? next
        : { ...next, releaseOrderNumbers: [...before.releaseOrderNumbers, envelope.data.orderNumber] };
    case 'ItemsReleased':
    case 'ItemsDisposed': {
      const ended = new Set(envelope.data.itemIds);
      return { ...next, heldItemIds: before.heldItemIds.filter((id) => !ended.has(id)) };
    }
    default:
      return next;
  }
}

/** When the retention clock started, as decide judges it (custody/cases.ts); null while the data is still needed. */
export function clockStartOf(fold: RetentionFold): string | null {
  const items = Object.fromEntries(fold.heldItemIds.map((itemId) => [itemId, { disposition: 'held' as const }]));
  return retentionClockStartsAt({ ...fold, items } as unknown as Parameters<typeof retentionClockStartsAt>[0]);
}

/** Subjects with data an erasure would still name (sealed fields to shred, or fields in clear not yet recorded as kept). */
export function erasableCounts(fold: RetentionFold): Array<{ subject: string; sealedFields: number; inClearFields: number }> {
  return Object.entries(fold.personalData).map(([subject, data]) => ({
    subject,
    sealedFields: data.sealed.length,
    inClearFields: data.inClear.length,
  }));
}
