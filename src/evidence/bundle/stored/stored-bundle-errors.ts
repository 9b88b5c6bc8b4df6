import { formatIndianDateTime } from '../../../shared/indian-day';
import type { KeyTombstone } from '../../../sealing/key-store';

export type StoredBundleProblem = 'stored-bundle-not-found' | 'stored-bundle-erased';

/** A key a stored bundle was sealed under that is gone, with its tombstone when the key store kept one. */
export interface GoneKey {
  readonly keyId: string;
  readonly tombstone?: KeyTombstone;
}

/** An issued bundle that cannot be answered again: never issued here, or personal data in it was since erased. */
export class StoredBundleError extends Error {
  override readonly name = 'StoredBundleError';

  constructor(
    readonly code: StoredBundleProblem,
    message: string,
    /** For an erased one: the seizure, whose evidence route issues a new bundle. */
    readonly seizureId?: string,
  ) {
    super(message);
  }

  static notFound(bundleHash: string): StoredBundleError {
    return new StoredBundleError('stored-bundle-not-found', `No bundle with bundleHash ${bundleHash} was issued by this ledger.`);
  }

  /** Names each erasure (its PersonalDataErased event and order) that took a key the bundle needs, and how to get a bundle now. */
  static erased(bundleHash: string, seizureId: string, gone: readonly GoneKey[]): StoredBundleError {
    const causes = [...new Set(gone.map(causeOf))];
    return new StoredBundleError(
      'stored-bundle-erased',
      `The bundle ${bundleHash} can no longer be given out: personal data it holds was erased since it was issued (${causes.join('; ')}). ` +
        `Issue a new bundle of the seizure with GET /seizures/${seizureId}/evidence: it shows the erasure in place of the values.`,
      seizureId,
    );
  }
}

function causeOf({ keyId, tombstone }: GoneKey): string {
  if (tombstone === undefined) return `the key ${keyId} is no longer in the key store`;
  const on = formatIndianDateTime(tombstone.destroyedAt);
  return tombstone.erasure === undefined
    ? `the key of ${tombstone.subject} was destroyed on ${on}`
    : `PersonalDataErased event ${tombstone.erasure.eventId} under ${tombstone.erasure.orderReference}, on ${on}`;
}
