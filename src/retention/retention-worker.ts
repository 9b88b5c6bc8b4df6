import type { RetentionConfig } from '../config/app-config';
import type { SeizureCommand } from '../custody/command';
import { handleSeizureCommand } from '../custody/handle-command';
import type { PersonalDataSealing } from '../custody/sealing/personal-data-sealing';
import { carryOutRecordedErasure } from '../custody/carry-out-erasure';
import type { EventStore } from '../ledger/event-store';
import type { DueErasure, RetentionQuery } from '../read-models/retention/retention.query';
import { retentionOrderReference } from '../read-models/retention/retention-schedule';
import type { Clock } from '../shared/clock';
import type { PersonalDataKeyStore } from '../sealing/key-store';
import { erasuresInLedger, type LedgerErasure } from './ledger-erasures';
import { referencedInLedger } from './referenced-keys';
import { RETENTION_ACTOR } from './retention-actor';

export interface RetentionLog {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RetentionWorkerDependencies {
  store: EventStore;
  sealing: PersonalDataSealing;
  /** For collecting the keys no stored event uses (an append failed, or the process stopped before marking them used). */
  keys: Pick<PersonalDataKeyStore, 'collectUnused'>;
  retention: Pick<RetentionQuery, 'dueBy' | 'erasuresAfter'>;
  clock: Clock;
  config: RetentionConfig;
  logger: RetentionLog;
}

/** What one pass did, for logs and tests. */
export interface RetentionPass {
  /** Recorded erasures whose keys were destroyed again (or found gone). */
  carriedOutAgain: number;
  /** Of those, how many still left a copy for the next pass. */
  stillPending: number;
  /** Automatic erasures recorded, one per seizure and retention rule. */
  erased: number;
  /** Seizures whose automatic erasure failed (logged; the others went on). */
  failed: number;
  /** Keys destroyed because no stored event uses them. */
  unusedKeysCollected: number;
}

/** A key never marked used is collected only after this long: no command is still between making it and appending. */
export const UNUSED_KEY_AGE_MS = 3_600_000;

/**
 * Carries out recorded erasures again wherever keys may have survived, and erases personal data
 * whose retention period has run out. Both are safe to repeat: shredding destroys only the keys that
 * sealed what the erasure lists, and decide records nothing for a subject already erased.
 */
export class RetentionWorker {
  /** The read model's position up to which recorded erasures were carried out. */
  private carriedOutTo = 0;
  /** Erasures that left a key copy behind (shredding `pending`): carried out again every pass until done. */
  private readonly pending = new Map<string, LedgerErasure>();

  constructor(private readonly deps: RetentionWorkerDependencies) {}

  /**
   * On start, before requests are served: every erasure in the log is carried out again, read from
   * the store (the read model may lag, or be rebuilding), so that a key store restored from a backup
   * older than an erasure never opens what it erased.
   */
  async carryOutRecordedErasures(): Promise<RetentionPass> {
    const { erasures, position } = await erasuresInLedger(this.deps.store);
    const pass = await this.shredAll(erasures);
    this.carriedOutTo = position;
    if (erasures.length > 0) this.deps.logger.log(`carried out ${erasures.length} recorded erasure(s) again on start`);
    return pass;
  }

  /** One periodic pass: erasures recorded since the last pass (and those still pending), then the erasures due now. */
  async runOnce(): Promise<RetentionPass> {
    const recorded = this.deps.retention.erasuresAfter(this.carriedOutTo);
    const pass = await this.shredAll([...this.pending.values(), ...recorded]);
    if (recorded.length > 0) this.carriedOutTo = recorded[recorded.length - 1].globalPosition;
    const unusedKeysCollected = await this.collectUnusedKeys();
    if (!this.deps.config.autoErase) return { ...pass, unusedKeysCollected };
    const { erased, failed } = await this.eraseDue();
    return { ...pass, erased, failed, unusedKeysCollected };
  }

  /** Destroys the keys older than UNUSED_KEY_AGE_MS that no stored event uses; a failure is logged, the pass goes on. */
  async collectUnusedKeys(): Promise<number> {
    const olderThan = new Date(Date.parse(this.deps.clock.now()) - UNUSED_KEY_AGE_MS).toISOString();
    try {
      const collected = await this.deps.keys.collectUnused(olderThan, referencedInLedger(this.deps.store));
      if (collected.length > 0) this.deps.logger.log(`destroyed ${collected.length} key(s) no stored event uses`);
      return collected.length;
    } catch (error) {
      this.deps.logger.error(`collecting unused keys failed: ${messageOf(error)}`);
      return 0;
    }
  }

  private async shredAll(erasures: readonly LedgerErasure[]): Promise<RetentionPass> {
    let stillPending = 0;
    for (const erasure of erasures) {
      const { seizureId, eventId } = erasure;
      try {
        const outcome = await carryOutRecordedErasure(this.deps.store, this.deps.sealing, seizureId, eventId);
        if (outcome === 'pending') {
          this.pending.set(erasure.eventId, erasure);
          stillPending += 1;
        } else {
          this.pending.delete(erasure.eventId);
        }
      } catch (error) {
        this.pending.set(erasure.eventId, erasure);
        stillPending += 1;
        this.deps.logger.error(`carrying out erasure ${erasure.eventId} of seizure ${seizureId} failed: ${messageOf(error)}`);
      }
    }
    if (stillPending > 0) this.deps.logger.warn(`${stillPending} erasure(s) left a key copy behind; carried out again next pass`);
    return { carriedOutAgain: erasures.length, stillPending, erased: 0, failed: 0, unusedKeysCollected: 0 };
  }

  /** One erasure command per seizure and retention rule; one seizure's failure does not stop the others. */
  private async eraseDue(): Promise<{ erased: number; failed: number }> {
    const now = this.deps.clock.now();
    let erased = 0;
    let failed = 0;
    for (const due of groupBySeizureAndRule(this.deps.retention.dueBy(now))) {
      const { seizureId } = due[0];
      const orderReference = retentionOrderReference(due[0]);
      const command: SeizureCommand = {
        type: 'ErasePersonalData',
        data: { subjects: due.map((d) => d.subject), legalBasis: 'retention_period_ended', orderReference, courtOrder: null },
      };
      try {
        const outcome = await handleSeizureCommand(
          this.deps.store,
          seizureId,
          command,
          { actor: { ...RETENTION_ACTOR, roles: [...RETENTION_ACTOR.roles] }, now },
          { sealing: this.deps.sealing },
        );
        if (outcome.events.length > 0) erased += 1;
        this.deps.logger.log(
          `erased ${due.map((d) => d.subject).join(', ')} of seizure ${seizureId}: retention ended (${orderReference})` +
            (outcome.shredding === 'pending' ? '; a key copy remains until the next pass' : ''),
        );
      } catch (error) {
        failed += 1;
        this.deps.logger.error(`automatic erasure of seizure ${seizureId} failed, the others go on: ${messageOf(error)}`);
      }
    }
    return { erased, failed };
  }
}

/** The subjects of one seizure that one retention rule lets go, group by group. */
function groupBySeizureAndRule(due: readonly DueErasure[]): Iterable<DueErasure[]> {
  const groups = new Map<string, DueErasure[]>();
  for (const d of due) {
    const key = `${d.seizureId} ${retentionOrderReference(d)}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return groups.values();
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
