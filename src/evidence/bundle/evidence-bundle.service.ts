import { hostname } from 'node:os';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { loadSeizure } from '../../custody/handle-command';
import { mayReadPersonalData } from '../../custody/personal-data';
import { NO_SEALING, PERSONAL_DATA_SEALING, type PersonalDataSealing } from '../../custody/sealing/personal-data-sealing';
import { openedFieldsOf } from '../../custody/sealing/revealed-fields';
import { requireVisible } from '../../custody/visibility';
import { readPackageVersion } from '../../platform/package-version';
import { EVENT_STORE, type EventStore } from '../../ledger/event-store';
import { READ_MODEL_PROGRESS, type ReadModelProgress } from '../../projections/read-model-progress';
import type { Actor } from '../../shared/actor';
import { CLOCK, type Clock } from '../../shared/clock';
import { merkleLogProjection } from '../merkle/merkle-log.projection';
import { TreeHeadLog } from '../tree-heads/tree-head-log';
import { WitnessedCheckpoints, type WitnessedHead } from '../witnessing/witnessed-checkpoints';
import { CUSTODY_HISTORY_SOURCE, type CustodyHistorySource } from './custody-history-source';
import { buildEvidenceBundle, type EvidenceBundle } from './evidence-bundle';
import { EvidenceNotReadyError } from './evidence-not-ready';
import { keyIdsOfOpenedFields } from './stored/revealed-keys';

/** How long a request waits for the read models and a signed head to cover the seizure's last event. */
const COVERAGE_WAIT_MS = 15_000;
const POLL_MS = 200;

/** A bundle just built, with the ids of the subject keys whose personal values it opened (none for a redacted one). */
export interface IssuedBundle {
  bundle: EvidenceBundle;
  openedWith: string[];
}

/**
 * Builds a seizure's evidence bundle: its events in full with their chain hashes, an inclusion
 * proof of each against one signed tree head, and the custody history derived from those same
 * events. Waits for the read models and a signed head to cover the latest event, and says with
 * EvidenceNotReadyError why, when they do not in time.
 */
@Injectable()
export class EvidenceBundleService {
  private readonly version = readPackageVersion();
  /** The read models a bundle is built from: the custody history, and the Merkle log its proofs come from. */
  private readonly readModels: string[];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly heads: TreeHeadLog,
    @Inject(READ_MODEL_PROGRESS) private readonly projector: ReadModelProgress,
    @Inject(CUSTODY_HISTORY_SOURCE) private readonly custodyHistory: CustodyHistorySource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly checkpoints: WitnessedCheckpoints,
    @Optional() @Inject(PERSONAL_DATA_SEALING) private readonly sealing: PersonalDataSealing = NO_SEALING,
  ) {
    this.readModels = [custodyHistory.readModel, merkleLogProjection.name];
  }

  /** The bundle of a seizure the actor may see; `seizureId` is lowercase. */
  async bundle(seizureId: string, actor: Actor): Promise<EvidenceBundle> {
    return (await this.issue(seizureId, actor)).bundle;
  }

  /** The bundle, and the keys of the personal values it opened: what a stored copy must be sealed under. */
  async issue(seizureId: string, actor: Actor): Promise<IssuedBundle> {
    // The events as stored (commitments, as hashed) and, for readers of personal data, each sealed value opened with its salt.
    const { state, events: opened, stored: events, reveals } = await loadSeizure(this.store, seizureId, this.sealing);
    requireVisible(state, actor, seizureId);

    const last = events[events.length - 1];
    await this.readModelsCovering(last.globalPosition);
    const { head, checkpoint } = await this.headCovering(last.hash, last.globalPosition);
    const inclusion = events.map((e) => {
      const proof = this.heads.inclusionProof({ eventHash: e.hash }, head.treeSize);
      return { eventId: e.id, leafIndex: proof.leafIndex, proof: proof.proof };
    });

    const personal = mayReadPersonalData(actor);
    const bundle = buildEvidenceBundle({
      seizureId,
      events,
      ...(personal ? { revealed: openedFieldsOf(opened, reveals) } : {}),
      inclusion,
      treeHead: head,
      checkpoint: { origin: checkpoint.slice(0, checkpoint.indexOf('\n')), note: checkpoint },
      // The key that signed this head, which is the current key except for a head signed before a rotation.
      publicKey: this.heads.publicKeyOf(head),
      custodyHistory: await this.custodyHistory.seizureHistory(actor, seizureId),
      generatedAt: this.clock.now(),
      server: { system: 'Seizure Custody Ledger', version: this.version, host: hostname(), storeKind: this.store.kind },
      place: `${actor.unit} (unit of ${actor.name})`,
    });
    // The custody section opens the same events' values with the same keys: these cover it too.
    return { bundle, openedWith: personal ? keyIdsOfOpenedFields(events, reveals) : [] };
  }

  /**
   * Waits until the bundle's read models include the seizure's last event. Waits for those two
   * only: a failure of any other read model does not hold bundles up. One of them that failed
   * before that event will not get there until the software is fixed.
   */
  private async readModelsCovering(position: number): Promise<void> {
    if (await this.projector.waitForPosition(position, COVERAGE_WAIT_MS, this.readModels)) return;
    const failed = this.projector.failedAmong(this.readModels);
    if (failed.length > 0) throw EvidenceNotReadyError.readModelFailed(failed);
    if (this.projector.status === 'failed') throw EvidenceNotReadyError.readModelsStopped();
    throw EvidenceNotReadyError.notYetCovered('the read models');
  }

  /**
   * The newest signed head that includes the given event and, with witnesses configured, whose
   * checkpoint a quorum of them cosigned: heads are signed every few seconds, cosigned right after.
   * Once a signed head covers the event, waits at most WITNESS_TIMEOUT_MS for the cosignatures.
   */
  private async headCovering(eventHash: string, position: number): Promise<WitnessedHead> {
    const started = Date.now();
    const deadline = started + COVERAGE_WAIT_MS;
    let witnessDeadline: number | undefined;
    for (;;) {
      const size = this.heads.leavesUpTo(position);
      const found = size === undefined ? undefined : this.checkpoints.newestWitnessed(size);
      if (found !== undefined && found.checkpoint !== '' && this.includes(found, eventHash)) return found;
      if (this.checkpoints.required && this.heads.latestCovering(position) !== undefined) {
        witnessDeadline ??= Date.now() + this.checkpoints.waitMs;
        if (Date.now() >= witnessDeadline)
          throw EvidenceNotReadyError.awaitingWitnesses(this.checkpoints.published().witnessQuorum, Date.now() - started);
      } else if (Date.now() > deadline) {
        const failed = this.projector.failedAmong([merkleLogProjection.name]);
        throw failed.length > 0 ? EvidenceNotReadyError.readModelFailed(failed) : EvidenceNotReadyError.notYetCovered('a signed tree head');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, (witnessDeadline ?? deadline) - Date.now()))));
    }
  }

  private includes(found: WitnessedHead, eventHash: string): boolean {
    try {
      this.heads.inclusionProof({ eventHash }, found.head.treeSize);
      return true;
    } catch {
      return false; // not in this head yet: the next signing will include it
    }
  }
}
