import { Inject, Injectable } from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
import { inScope, type Actor } from '../../shared/actor';
import { shownTo, type Redacted } from '../../custody/personal-data';
import { parsePersonalColumn } from '../sealed-cells';
import { CLOCK, type Clock } from '../../shared/clock';
import { READ_MODEL_DB } from '../../projections/projection';

export interface TransferTally {
  transfers: number;
  paise: number;
}
export interface ChallanTally {
  challans: number;
  paise: number;
}

export const AGE_BUCKETS = ['under24h', 'oneToThreeDays', 'overThreeDays'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export interface PendingDeposit {
  seizureId: string;
  challanNumber: string;
  amountPaise: number;
  /** The date on the challan. */
  depositedOn: string;
  /** When the deposit was recorded in the ledger: its age counts from here. */
  recordedAt: string;
  ageSeconds: number;
  age: AgeBucket;
  state: string;
  district: string;
}

export interface Mismatch {
  seizureId: string;
  kind: 'count_differs' | 'deposit_amount_differs';
  /** The transfer id (a count) or challan number (an amount) the difference was found in. */
  reference: string;
  referenceKind: 'transfer' | 'challan';
  itemIds: string[];
  expected: string;
  found: string;
  /** Free text that may name a person: REDACTED for roles without personal-data access (custody/personal-data.ts). */
  remarks: string | Redacted;
  recordedAt: string;
  state: string;
  district: string;
}

export interface TreasuryReconciliation {
  treasury: { id: string; name: string };
  /** Transfers carrying cash initiated to the treasury, at the amounts recorded at seizure. */
  handedOver: TransferTally;
  /** Accepted transfers, at the amounts the treasury counted. */
  accepted: TransferTally;
  rejected: TransferTally;
  /** Initiated, neither accepted nor rejected yet. */
  awaitingAcceptance: TransferTally;
  deposited: ChallanTally;
  /** Confirmed challans, at the amounts the treasury confirmed. */
  confirmed: ChallanTally;
  pendingConfirmation: ChallanTally & { byAge: Record<AgeBucket, ChallanTally>; deposits: PendingDeposit[] };
  mismatches: Mismatch[];
}

export interface TreasuryReconciliationReport {
  /** The clock's now, from which the ages of pending confirmations are counted. */
  asOf: string;
  ledgerPosition: number;
  treasuries: TreasuryReconciliation[];
}

export type OneTreasuryReconciliation = Omit<TreasuryReconciliationReport, 'treasuries'> & TreasuryReconciliation;

const HOUR_MS = 3_600_000;

/** Under 24 hours; 24 hours up to and including 3 days; over 3 days. */
export function ageBucket(ageMs: number): AgeBucket {
  if (ageMs < 24 * HOUR_MS) return 'under24h';
  if (ageMs <= 72 * HOUR_MS) return 'oneToThreeDays';
  return 'overThreeDays';
}

/**
 * The one treasury a caller is limited to, or null for all in scope. A user whose only role is
 * `treasury` acts for one treasury (their unit) and sees its accounts alone; anyone holding a
 * wider role too (committee, officer, auditor, court, …) sees every treasury within their
 * jurisdiction, as the District Grievance Committee must.
 */
export function treasuryLimit(actor: Actor): string | null {
  return actor.roles.length > 0 && actor.roles.every((role) => role === 'treasury') ? actor.unit : null;
}

interface Place {
  treasuryId: string;
  state: string;
  district: string;
}
interface TransferSumRow extends Place {
  transfers: number;
  handedOverPaise: number;
  acceptedTransfers: number;
  acceptedPaise: number;
  rejectedTransfers: number;
  rejectedPaise: number;
  openTransfers: number;
  openPaise: number;
}
interface DepositSumRow extends Place {
  challans: number;
  depositedPaise: number;
  confirmedChallans: number;
  confirmedPaise: number;
}
interface PendingRow extends Place {
  seizureId: string;
  challanNumber: string;
  amountPaise: number;
  depositedOn: string;
  depositedAt: string;
}
interface MismatchRow extends Place {
  seizureId: string;
  kind: Mismatch['kind'];
  reference: string;
  itemIds: string;
  expected: string;
  found: string;
  remarks: string;
  recordedAt: string;
}
type Only = { treasury: string | null };

interface Statements {
  transfers: Statement<[Only], TransferSumRow>;
  deposits: Statement<[Only], DepositSumRow>;
  pending: Statement<[Only], PendingRow>;
  mismatches: Statement<[Only], MismatchRow>;
  names: Statement<[Only], { treasuryId: string; name: string }>;
  position: Statement<[], number>;
}

function prepare(db: Database): Statements {
  return {
    // Summed by treasury and place; scope is applied to the places, then the sums are added up.
    transfers: db.prepare(`
      SELECT t.treasury_id AS treasuryId, s.state, s.district,
             COUNT(*)                                                           AS transfers,
             SUM(t.handed_over_paise)                                           AS handedOverPaise,
             SUM(t.status = 'accepted')                                         AS acceptedTransfers,
             SUM(CASE WHEN t.status = 'accepted' THEN t.accepted_paise ELSE 0 END)    AS acceptedPaise,
             SUM(t.status = 'rejected')                                         AS rejectedTransfers,
             SUM(CASE WHEN t.status = 'rejected' THEN t.handed_over_paise ELSE 0 END) AS rejectedPaise,
             SUM(t.status = 'open')                                             AS openTransfers,
             SUM(CASE WHEN t.status = 'open' THEN t.handed_over_paise ELSE 0 END)     AS openPaise
        FROM treasury_reconciliation_transfers t
        JOIN treasury_reconciliation_seizures s USING (seizure_id)
       WHERE @treasury IS NULL OR t.treasury_id = @treasury
       GROUP BY t.treasury_id, s.state, s.district`),
    deposits: db.prepare(`
      SELECT d.treasury_id AS treasuryId, s.state, s.district,
             COUNT(*)                           AS challans,
             SUM(d.amount_paise)                AS depositedPaise,
             SUM(d.confirmed_at IS NOT NULL)    AS confirmedChallans,
             SUM(COALESCE(d.confirmed_paise, 0)) AS confirmedPaise
        FROM treasury_reconciliation_deposits d
        JOIN treasury_reconciliation_seizures s USING (seizure_id)
       WHERE @treasury IS NULL OR d.treasury_id = @treasury
       GROUP BY d.treasury_id, s.state, s.district`),
    pending: db.prepare(`
      SELECT d.treasury_id AS treasuryId, s.state, s.district, d.seizure_id AS seizureId, d.challan_number AS challanNumber,
             d.amount_paise AS amountPaise, d.deposited_on AS depositedOn, d.deposited_at AS depositedAt
        FROM treasury_reconciliation_deposits d
        JOIN treasury_reconciliation_seizures s USING (seizure_id)
       WHERE d.confirmed_at IS NULL AND (@treasury IS NULL OR d.treasury_id = @treasury)
       ORDER BY d.deposited_at, d.seizure_id, d.challan_number`),
    mismatches: db.prepare(`
      SELECT m.treasury_id AS treasuryId, s.state, s.district, m.seizure_id AS seizureId, m.kind, m.reference,
             m.item_ids AS itemIds, m.expected, m.found, m.remarks, m.recorded_at AS recordedAt
        FROM treasury_reconciliation_mismatches m
        JOIN treasury_reconciliation_seizures s USING (seizure_id)
       WHERE @treasury IS NULL OR m.treasury_id = @treasury
       ORDER BY m.global_position`),
    names: db.prepare(`
      SELECT treasury_id AS treasuryId, name FROM treasury_reconciliation_treasuries
       WHERE @treasury IS NULL OR treasury_id = @treasury`),
    position: db.prepare<[], number>('SELECT position FROM treasury_reconciliation_position WHERE id = 1').pluck(),
  };
}

const tally = (): TransferTally => ({ transfers: 0, paise: 0 });
const challans = (): ChallanTally => ({ challans: 0, paise: 0 });

function emptyReconciliation(id: string, name: string): TreasuryReconciliation {
  return {
    treasury: { id, name },
    handedOver: tally(),
    accepted: tally(),
    rejected: tally(),
    awaitingAcceptance: tally(),
    deposited: challans(),
    confirmed: challans(),
    pendingConfirmation: {
      ...challans(),
      byAge: { under24h: challans(), oneToThreeDays: challans(), overThreeDays: challans() },
      deposits: [],
    },
    mismatches: [],
  };
}

/** Treasury accounts within the caller's jurisdiction: only facts of seizures in scope count. */
@Injectable()
export class TreasuryReconciliationQuery {
  private statements: Statements | undefined;

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every treasury the caller may see that has anything in their jurisdiction, by id. */
  all(actor: Actor): TreasuryReconciliationReport {
    return this.reconcile(actor, treasuryLimit(actor));
  }

  /**
   * One treasury; undefined when nothing of it lies within the caller's jurisdiction (or it is
   * not the caller's own, for a treasury-only user: see treasuryLimit).
   */
  one(actor: Actor, treasuryId: string): OneTreasuryReconciliation | undefined {
    const limit = treasuryLimit(actor);
    if (limit !== null && limit !== treasuryId) return undefined;
    const { treasuries, ...report } = this.reconcile(actor, treasuryId);
    return treasuries.length === 0 ? undefined : { ...report, ...treasuries[0] };
  }

  private reconcile(actor: Actor, treasury: string | null): TreasuryReconciliationReport {
    const now = this.clock.now();
    // Prepared on first use: the projector creates the tables after this query is constructed.
    const sql = (this.statements ??= prepare(this.db));
    const only: Only = { treasury };
    // One read transaction, so every figure and the position describe the same moment.
    const read = this.db.transaction(() => ({
      transfers: sql.transfers.all(only),
      deposits: sql.deposits.all(only),
      pending: sql.pending.all(only),
      mismatches: sql.mismatches.all(only),
      names: new Map(sql.names.all(only).map((n) => [n.treasuryId, n.name])),
      position: sql.position.get() ?? 0,
    }))();

    const byId = new Map<string, TreasuryReconciliation>();
    const of = (row: Place): TreasuryReconciliation | undefined => {
      if (!inScope(actor.scope, row)) return undefined;
      let r = byId.get(row.treasuryId);
      if (r === undefined) {
        r = emptyReconciliation(row.treasuryId, read.names.get(row.treasuryId) ?? row.treasuryId);
        byId.set(row.treasuryId, r);
      }
      return r;
    };

    for (const row of read.transfers) {
      const r = of(row);
      if (r === undefined) continue;
      add(r.handedOver, row.transfers, row.handedOverPaise);
      add(r.accepted, row.acceptedTransfers, row.acceptedPaise);
      add(r.rejected, row.rejectedTransfers, row.rejectedPaise);
      add(r.awaitingAcceptance, row.openTransfers, row.openPaise);
    }
    for (const row of read.deposits) {
      const r = of(row);
      if (r === undefined) continue;
      addChallans(r.deposited, row.challans, row.depositedPaise);
      addChallans(r.confirmed, row.confirmedChallans, row.confirmedPaise);
    }
    const nowMs = Date.parse(now);
    for (const row of read.pending) {
      const r = of(row);
      if (r === undefined) continue;
      addPending(r, row, nowMs);
    }
    for (const row of read.mismatches) {
      const r = of(row);
      if (r === undefined) continue;
      r.mismatches.push(toMismatch(actor, row));
    }

    return {
      asOf: now,
      ledgerPosition: read.position,
      treasuries: [...byId.values()].sort((a, b) => (a.treasury.id < b.treasury.id ? -1 : a.treasury.id > b.treasury.id ? 1 : 0)),
    };
  }
}

/** A deposit awaiting the treasury's confirmation, counted in its age bucket as of `nowMs`. */
function addPending(r: TreasuryReconciliation, row: PendingRow, nowMs: number): void {
  // A clock behind the ledger's would give a negative age; such a deposit is simply new.
  const ageMs = Math.max(0, nowMs - Date.parse(row.depositedAt));
  const age = ageBucket(ageMs);
  addChallans(r.pendingConfirmation, 1, row.amountPaise);
  addChallans(r.pendingConfirmation.byAge[age], 1, row.amountPaise);
  r.pendingConfirmation.deposits.push({
    seizureId: row.seizureId,
    challanNumber: row.challanNumber,
    amountPaise: row.amountPaise,
    depositedOn: row.depositedOn,
    recordedAt: row.depositedAt,
    ageSeconds: Math.floor(ageMs / 1000),
    age,
    state: row.state,
    district: row.district,
  });
}

function toMismatch(actor: Actor, row: MismatchRow): Mismatch {
  return {
    seizureId: row.seizureId,
    kind: row.kind,
    reference: row.reference,
    referenceKind: row.kind === 'count_differs' ? 'transfer' : 'challan',
    itemIds: JSON.parse(row.itemIds) as string[],
    expected: row.expected,
    found: row.found,
    remarks: shownTo(actor, 'DiscrepancyRecorded', 'remarks', parsePersonalColumn(row.remarks)),
    recordedAt: row.recordedAt,
    state: row.state,
    district: row.district,
  };
}

function add(into: TransferTally, transfers: number, paise: number): void {
  into.transfers += transfers;
  into.paise += paise;
}

function addChallans(into: ChallanTally, count: number, paise: number): void {
  into.challans += count;
  into.paise += paise;
}
