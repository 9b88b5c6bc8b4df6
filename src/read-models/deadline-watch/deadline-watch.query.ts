import { Inject, Injectable } from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
import type { Custodian } from '../../custody/values';
import { INCOME_TAX_THRESHOLD_PAISE } from '../../custody/rules';
import { inScope, type Actor } from '../../shared/actor';
import { CLOCK, type Clock } from '../../shared/clock';
import { APP_CONFIG, type AppConfig, type RetentionCategory } from '../../config/app-config';
import { READ_MODEL_DB } from '../../projections/projection';
import { RetentionQuery, type DueErasure } from '../retention/retention.query';

export const DEADLINE_KINDS = ['held_after_poll', 'income_tax_referral', 'transfer_acceptance', 'personal_data_erasure'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** With includeUpcoming, deadlines falling due within this window are listed too. */
export const UPCOMING_WINDOW_HOURS = 48;
/**
 * Erasures are listed this many days ahead with includeUpcoming: time enough for an office that
 * still needs the data to have a case recorded or a court's order, before the worker erases it.
 */
export const ERASURE_UPCOMING_WINDOW_DAYS = 30;

export interface Duration {
  /** now − dueAt in whole seconds: positive when overdue, zero or negative while not yet due. */
  seconds: number;
  /** "2 days 3 hours" when overdue; "due in 5 hours 10 minutes" or "due now" when not yet. */
  text: string;
}

interface DeadlineBase {
  status: 'overdue' | 'upcoming';
  seizureId: string;
  memoNumber: string;
  state: string;
  district: string;
  constituency: number;
  dueAt: string;
  overdueBy: Duration;
}

export interface HeldItem {
  itemId: string;
  category: string;
  description: string;
  quantity: number;
  unit: string;
  custodian: Custodian;
}

/** Items neither released nor disposed by the end of the seventh day after the poll, with no FIR. */
export interface HeldAfterPoll extends DeadlineBase {
  kind: 'held_after_poll';
  election: { id: string; pollDate: string };
  items: HeldItem[];
}

/** More than Rs 10 lakh cash and no Income Tax referral. */
export interface IncomeTaxReferralDue extends DeadlineBase {
  kind: 'income_tax_referral';
  cashPaise: number;
  seizedAt: string;
}

/** A handover neither accepted nor rejected. */
export interface TransferAcceptanceDue extends DeadlineBase {
  kind: 'transfer_acceptance';
  transferId: string;
  itemIds: string[];
  from: Custodian;
  to: Custodian;
  initiatedAt: string;
}

/**
 * A data subject's retention period has run out (custody/cases.ts, config RETENTION_DAYS_*): its
 * personal data falls due for erasure on `dueDay`. Overdue means not erased yet, e.g. with
 * RETENTION_AUTO_ERASE=false. Names the subject (seized-from, witness-<n>, …), never the person.
 */
export interface PersonalDataErasureDue extends DeadlineBase {
  kind: 'personal_data_erasure';
  subject: string;
  category: RetentionCategory;
  retentionDays: number;
  /** The Indian day (YYYY-MM-DD) from which it is due: dueAt is its 00:00 IST. */
  dueDay: string;
  /** When the retention clock started: the last case closed, nothing held any more. */
  retentionClockStartedAt: string;
  /** Whether the retention worker erases it by itself once due (RETENTION_AUTO_ERASE). */
  erasedAutomatically: boolean;
}

export type Deadline = HeldAfterPoll | IncomeTaxReferralDue | TransferAcceptanceDue | PersonalDataErasureDue;

export interface DeadlineRequest {
  includeUpcoming?: boolean;
  kind?: DeadlineKind;
}

export interface DeadlineReport {
  /** The clock's now, against which every deadline was judged. */
  asOf: string;
  includeUpcoming: boolean;
  ledgerPosition: number;
  /** Most overdue first. */
  deadlines: Deadline[];
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** "1 day 4 hours", "5 minutes", "0 seconds": the largest unit and, if not zero, the next one. */
export function humanDuration(totalSeconds: number): string {
  let rest = Math.abs(totalSeconds);
  const amounts = UNITS.map(([name, size]) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return { name, n };
  });
  const largest = amounts.findIndex((a) => a.n > 0);
  if (largest === -1) return '0 seconds';
  return amounts
    .slice(largest, largest + 2)
    .filter((a) => a.n > 0)
    .map((a) => `${a.n} ${a.name}${a.n === 1 ? '' : 's'}`)
    .join(' ');
}

/** How a deadline stands at `nowMs`: overdue once the due instant has passed. */
export function judge(dueAt: string, nowMs: number): Pick<DeadlineBase, 'status' | 'overdueBy'> {
  const lateMs = nowMs - Date.parse(dueAt);
  const seconds = Math.trunc(lateMs / 1000);
  if (lateMs > 0) return { status: 'overdue', overdueBy: { seconds, text: humanDuration(seconds) } };
  return { status: 'upcoming', overdueBy: { seconds, text: seconds === 0 ? 'due now' : `due in ${humanDuration(seconds)}` } };
}

interface SeizureColumns {
  seizureId: string;
  memoNumber: string;
  state: string;
  district: string;
  constituency: number;
}
interface HeldRow extends SeizureColumns {
  electionId: string;
  pollDate: string;
  dueAt: string;
  itemId: string;
  category: string;
  description: string;
  quantity: number;
  unit: string;
  custodian: string;
}
interface ReferralRow extends SeizureColumns {
  cashPaise: number;
  seizedAt: string;
  dueAt: string;
}
interface TransferRow extends SeizureColumns {
  transferId: string;
  itemIds: string;
  fromCustodian: string;
  toCustodian: string;
  initiatedAt: string;
  dueAt: string;
}
/** Due before `now` (overdue), or with `upcoming` also up to `horizon`. */
interface Window {
  now: string;
  upcoming: 0 | 1;
  horizon: string;
}

interface Statements {
  held: Statement<[Window], HeldRow>;
  referrals: Statement<[Window & { threshold: number }], ReferralRow>;
  transfers: Statement<[Window], TransferRow>;
  position: Statement<[], number>;
}

const SEIZURE = `s.seizure_id AS seizureId, s.memo_number AS memoNumber, s.state, s.district, s.constituency`;
const DUE = (column: string) => `(${column} < @now OR (@upcoming = 1 AND ${column} <= @horizon))`;

function prepare(db: Database): Statements {
  return {
    held: db.prepare(`
      SELECT ${SEIZURE}, s.election_id AS electionId, s.poll_date AS pollDate, s.release_due_at AS dueAt,
             i.item_id AS itemId, i.category, i.description, i.quantity, i.unit, i.custodian
        FROM deadline_watch_seizures s
        JOIN deadline_watch_items i USING (seizure_id)
       WHERE s.fir_registered = 0 AND i.held = 1 AND ${DUE('s.release_due_at')}
       ORDER BY s.release_due_at, s.seizure_id, i.item_id`),
    referrals: db.prepare(`
      SELECT ${SEIZURE}, s.cash_paise AS cashPaise, s.seized_at AS seizedAt, s.referral_due_at AS dueAt
        FROM deadline_watch_seizures s
       WHERE s.referred = 0 AND s.cash_paise > @threshold AND ${DUE('s.referral_due_at')}
       ORDER BY s.referral_due_at, s.seizure_id`),
    transfers: db.prepare(`
      SELECT ${SEIZURE}, t.transfer_id AS transferId, t.item_ids AS itemIds, t.from_custodian AS fromCustodian,
             t.to_custodian AS toCustodian, t.initiated_at AS initiatedAt, t.due_at AS dueAt
        FROM deadline_watch_transfers t
        JOIN deadline_watch_seizures s USING (seizure_id)
       WHERE t.open = 1 AND ${DUE('t.due_at')}
       ORDER BY t.due_at, t.seizure_id, t.transfer_id`),
    position: db.prepare<[], number>('SELECT position FROM deadline_watch_position WHERE id = 1').pluck(),
  };
}

const seizureOf = (row: SeizureColumns): SeizureColumns => ({
  seizureId: row.seizureId,
  memoNumber: row.memoNumber,
  state: row.state,
  district: row.district,
  constituency: row.constituency,
});

const KIND_ORDER: Record<DeadlineKind, number> = {
  held_after_poll: 0,
  income_tax_referral: 1,
  transfer_acceptance: 2,
  personal_data_erasure: 3,
};

/** A subject's erasure falling due, as the deadline watch lists it. */
function erasureDeadline(due: DueErasure, nowMs: number, erasedAutomatically: boolean): PersonalDataErasureDue {
  return {
    kind: 'personal_data_erasure',
    ...judge(due.dueAt, nowMs),
    ...seizureOf(due),
    dueAt: due.dueAt,
    subject: due.subject,
    category: due.category,
    retentionDays: due.retentionDays,
    dueDay: due.dueDay,
    retentionClockStartedAt: due.clockStartsAt,
    erasedAutomatically,
  };
}

const erasureHorizon = (nowMs: number): string => new Date(nowMs + ERASURE_UPCOMING_WINDOW_DAYS * 86_400_000).toISOString();

/** Deadlines within the caller's jurisdiction, judged against the injected clock. */
@Injectable()
export class DeadlineWatchQuery {
  private statements: Statements | undefined;

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RetentionQuery) private readonly retention: RetentionQuery,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'retention'>,
  ) {}

  deadlines(actor: Actor, request: DeadlineRequest = {}): DeadlineReport {
    const now = new Date(this.clock.now()).toISOString();
    const nowMs = Date.parse(now);
    const includeUpcoming = request.includeUpcoming === true;
    const window: Window = {
      now,
      upcoming: includeUpcoming ? 1 : 0,
      horizon: new Date(nowMs + UPCOMING_WINDOW_HOURS * 3_600_000).toISOString(),
    };
    const wants = (kind: DeadlineKind) => request.kind === undefined || request.kind === kind;
    // Prepared on first use: the projector creates the tables after this query is constructed.
    const sql = (this.statements ??= prepare(this.db));
    // One read transaction, so every list and the position describe the same moment.
    const read = this.db.transaction(() => ({
      held: wants('held_after_poll') ? sql.held.all(window) : [],
      referrals: wants('income_tax_referral') ? sql.referrals.all({ ...window, threshold: INCOME_TAX_THRESHOLD_PAISE }) : [],
      transfers: wants('transfer_acceptance') ? sql.transfers.all(window) : [],
      erasures: wants('personal_data_erasure') ? this.retention.dueBy(includeUpcoming ? erasureHorizon(nowMs) : now) : [],
      // The lower of the two read models' positions: the answer is complete up to there.
      position: Math.min(sql.position.get() ?? 0, this.retention.position()),
    }))();
    const visible = <T extends SeizureColumns>(rows: T[]): T[] => rows.filter((row) => inScope(actor.scope, row));

    const deadlines: Deadline[] = [];
    // One entry per seizure, listing its items still held: all share the seizure's poll date.
    const heldBySeizure = new Map<string, HeldAfterPoll>();
    for (const row of visible(read.held)) {
      let entry = heldBySeizure.get(row.seizureId);
      if (entry === undefined) {
        entry = {
          kind: 'held_after_poll',
          ...judge(row.dueAt, nowMs),
          ...seizureOf(row),
          dueAt: row.dueAt,
          election: { id: row.electionId, pollDate: row.pollDate },
          items: [],
        };
        heldBySeizure.set(row.seizureId, entry);
        deadlines.push(entry);
      }
      entry.items.push({
        itemId: row.itemId,
        category: row.category,
        description: row.description,
        quantity: row.quantity,
        unit: row.unit,
        custodian: JSON.parse(row.custodian) as Custodian,
      });
    }
    for (const row of visible(read.referrals)) {
      deadlines.push({
        kind: 'income_tax_referral',
        ...judge(row.dueAt, nowMs),
        ...seizureOf(row),
        dueAt: row.dueAt,
        cashPaise: row.cashPaise,
        seizedAt: row.seizedAt,
      });
    }
    for (const row of visible(read.transfers)) {
      deadlines.push({
        kind: 'transfer_acceptance',
        ...judge(row.dueAt, nowMs),
        ...seizureOf(row),
        dueAt: row.dueAt,
        transferId: row.transferId,
        itemIds: JSON.parse(row.itemIds) as string[],
        from: JSON.parse(row.fromCustodian) as Custodian,
        to: JSON.parse(row.toCustodian) as Custodian,
        initiatedAt: row.initiatedAt,
      });
    }

    deadlines.push(...visible(read.erasures).map((due) => erasureDeadline(due, nowMs, this.config.retention.autoErase)));

    deadlines.sort(
      (a, b) =>
        (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0) ||
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
        (a.seizureId < b.seizureId ? -1 : a.seizureId > b.seizureId ? 1 : 0),
    );
    return { asOf: now, includeUpcoming, ledgerPosition: read.position, deadlines };
  }
}
