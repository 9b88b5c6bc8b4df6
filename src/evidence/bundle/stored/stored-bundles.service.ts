import { Inject, Injectable, Optional } from '@nestjs/common';
import { loadSeizure } from '../../../custody/handle-command';
import { requireVisible } from '../../../custody/visibility';
import { EVENT_STORE, type EventStore } from '../../../ledger/event-store';
import { PERSONAL_DATA_KEY_STORE, type KeyLookup, type PersonalDataKeyStore, type SubjectKey } from '../../../sealing/key-store';
import type { Actor } from '../../../shared/actor';
import { CLOCK, type Clock } from '../../../shared/clock';
import type { EvidenceBundle } from '../evidence-bundle.format';
import { StoredBundleError } from './stored-bundle-errors';
import { openStoredBundle, sealStoredBundle } from './stored-bundle-sealing';
import { STORED_BUNDLE_STORE, type StoredBundleStore } from './stored-bundle-store';

/** The bytes of a bundle as the server answers it, issued or fetched again: compact JSON, UTF-8. */
export const bundleBytes = (bundle: EvidenceBundle): Buffer => Buffer.from(JSON.stringify(bundle), 'utf8');

/** A bundle fetched again: its bytes exactly as first served, and its seizure. */
export interface FetchedBundle {
  bytes: Buffer;
  seizureId: string;
}

const NOTHING_KNOWN: KeyLookup = () => ({ status: 'unknown' });

/**
 * Keeps every issued bundle and gives it back by its bundleHash, byte for byte, to the same roles
 * within their scope; sealed under the keys of the people whose data it opened (stored-bundle-sealing.ts),
 * so an erasure since makes it answer StoredBundleError 'stored-bundle-erased' instead.
 */
@Injectable()
export class StoredBundles {
  constructor(
    @Inject(STORED_BUNDLE_STORE) private readonly stored: StoredBundleStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(PERSONAL_DATA_KEY_STORE) private readonly keys: PersonalDataKeyStore | null = null,
  ) {}

  /**
   * Keeps a bundle just built; `openedWith`: the subject keys of the personal values it opened.
   * Resolves to the bytes to answer with, which are the bytes kept.
   */
  async keep(bundle: EvidenceBundle, openedWith: readonly string[]): Promise<Buffer> {
    const bytes = bundleBytes(bundle);
    const form = sealStoredBundle({ bundleHash: bundle.bundleHash, seizureId: bundle.seizureId }, bytes, await this.keysOf(openedWith));
    await this.stored.put({ form, issuedAt: this.clock.now() });
    return bytes;
  }

  async fetch(bundleHash: string, actor: Actor): Promise<FetchedBundle> {
    const record = await this.stored.get(bundleHash);
    if (record === undefined) throw StoredBundleError.notFound(bundleHash);
    const { seizureId, shares } = record.form;
    // The seizure's scope today, as every read of it checks; its personal data only to the roles that issue bundles.
    const { state } = await loadSeizure(this.events, seizureId);
    requireVisible(state, actor, seizureId);
    const lookup = shares.length === 0 || this.keys === null ? NOTHING_KNOWN : await this.keys.lookup(shares.map((s) => s.keyId));
    const opened = openStoredBundle(record.form, lookup);
    if (opened.status === 'keys-gone') throw StoredBundleError.erased(bundleHash, seizureId, opened.gone);
    return { bytes: opened.bytes, seizureId };
  }

  /** The keys as the key store has them now: an id alone for one gone since the values were opened (its share is then lost at once). */
  private async keysOf(keyIds: readonly string[]): Promise<Array<SubjectKey | { keyId: string }>> {
    if (keyIds.length === 0 || this.keys === null) return keyIds.map((keyId) => ({ keyId }));
    const lookup = await this.keys.lookup(keyIds);
    return keyIds.map((keyId) => {
      const found = lookup(keyId);
      return found.status === 'available' ? found.key : { keyId };
    });
  }
}
