import { Inject, Injectable } from '@nestjs/common';
import type { Database } from 'better-sqlite3';
import { StatementsBySql } from '../../projections/statement-cache';
import type { Custodian, CustodianKind } from '../../custody/values';
import { actorAddresses } from '../../custody/rules';
import type { Actor } from '../../shared/actor';
import { shownTo, type Redacted } from '../../custody/personal-data';
import { parsePersonalColumn } from '../sealed-cells';
import { READ_MODEL_DB } from '../../projections/projection';
import { decodeCursor, encodeCursor, keysetPage } from '../cursor-pagination';
import { INBOX_STATUSES, type InboxStatus } from './transfer-inbox.projection';

// The seizure search's paging conventions: the same default and largest page, an opaque cursor.
export const DEFAULT_INBOX_LIMIT = 50;
export const MAX_INBOX_LIMIT = 200;

export interface TransferInboxPage {
  /** pending (the inbox proper), or what the caller's address accepted or rejected. */
  status: InboxStatus;
  limit: number;
  /** nextCursor of the previous page, for the same status. */
  cursor?: string;
}

export interface InboxActorRef {
  sub: string;
  name: string;
}

export interface InboxTransfer {
  seizureId: string;
  transferId: string;
  memoNumber: string;
  state: string;
  district: string;
  itemIds: string[];
  from: Custodian;
  to: Custodian;
  sealNumbers: string[];
  /** Free text that may name a person: REDACTED for roles without personal-data access (custody/personal-data.ts). */
  reason: string | Redacted;
  /** When the transfer was started (the event's time, ISO-8601 UTC). */
  initiatedAt: string;
  initiatedBy: InboxActorRef;
  status: InboxStatus;
  /** When it was accepted or rejected; null while pending. */
  closedAt: string | null;
  closedBy: InboxActorRef | null;
}

export interface TransferInboxResult {
  items: InboxTransfer[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** An inbox request the query cannot answer, naming the parameter at fault (a 400). */
export class InvalidInboxRequest extends Error {
  readonly code = 'invalid-inbox-request';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidInboxRequest';
  }
}

interface InboxRow {
  seizure_id: string;
  transfer_id: string;
  memo_number: string;
  state: string;
  district: string;
  item_ids: string;
  from_kind: CustodianKind;
  from_id: string;
  from_name: string;
  to_kind: CustodianKind;
  to_id: string;
  to_name: string;
  seal_numbers: string;
  reason: string;
  initiated_at: string;
  initiated_position: number;
  initiated_by_sub: string;
  initiated_by_name: string;
  status: InboxStatus;
  closed_at: string | null;
  closed_position: number | null;
  closed_by_sub: string | null;
  closed_by_name: string | null;
}

// ------------------------------------------------------------------------------------------
// Cursors (cursor-pagination.ts): the status, then the last row's sort time and the position of
// the event that set it (unique), so a transfer that arrives or closes between two pages is
// neither repeated nor skipped.

interface CursorPosition {
  status: InboxStatus;
  at: string;
  position: number;
}

export function encodeInboxCursor(c: CursorPosition): string {
  return encodeCursor([c.status, c.at, c.position]);
}

export function decodeInboxCursor(cursor: string, status: InboxStatus): CursorPosition {
  return decodeCursor(
    cursor,
    3,
    (message) => new InvalidInboxRequest('cursor', message),
    ([cursorStatus, at, position], refuse) => {
      if (!(INBOX_STATUSES as readonly unknown[]).includes(cursorStatus)) refuse();
      if (cursorStatus !== status) refuse(`belongs to another status (${String(cursorStatus)})`);
      if (typeof at !== 'string' || !Number.isSafeInteger(position)) refuse();
      return { status, at: at as string, position: position as number };
    },
  );
}

// ------------------------------------------------------------------------------------------

/** Pending ones are ordered by when they were started, answered ones by when they were answered. */
const SORT: Record<InboxStatus, { at: 'initiated_at' | 'closed_at'; position: 'initiated_position' | 'closed_position' }> = {
  pending: { at: 'initiated_at', position: 'initiated_position' },
  accepted: { at: 'closed_at', position: 'closed_position' },
  rejected: { at: 'closed_at', position: 'closed_position' },
};

/**
 * The transfers addressed to the caller: to them in person (a `person` custodian whose id is
 * their `sub`) or to the unit they act for (any other kind, by `unit`) — the very test decide
 * applies before letting anyone accept or reject (custodianAddress, actorAddresses). Like every
 * query, limited to seizures within the caller's states and districts, where decide lets them act.
 */
@Injectable()
export class TransferInboxQuery {
  private readonly statements: StatementsBySql<InboxRow>;

  constructor(@Inject(READ_MODEL_DB) db: Database) {
    this.statements = new StatementsBySql<InboxRow>(db);
  }

  inbox(actor: Actor, page: TransferInboxPage): TransferInboxResult {
    if (!(INBOX_STATUSES as readonly string[]).includes(page.status)) {
      throw new InvalidInboxRequest('status', `status must be one of ${INBOX_STATUSES.join(', ')}`);
    }
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_INBOX_LIMIT) {
      throw new InvalidInboxRequest('limit', `limit must be a whole number from 1 to ${MAX_INBOX_LIMIT}`);
    }
    const after = page.cursor === undefined ? undefined : decodeInboxCursor(page.cursor, page.status);
    const sort = SORT[page.status];

    const where = ['t.recipient IN (?, ?)', 't.status = ?'];
    const params: unknown[] = [...actorAddresses(actor), page.status];
    if (!actor.scope.national) {
      where.push('(t.state IN (SELECT value FROM json_each(?)) OR t.district IN (SELECT value FROM json_each(?)))');
      params.push(JSON.stringify(actor.scope.states), JSON.stringify(actor.scope.districts));
    }
    if (after) {
      where.push(`(t.${sort.at}, t.${sort.position}) < (?, ?)`);
      params.push(after.at, after.position);
    }
    const sql = `SELECT t.* FROM transfer_inbox_transfers t WHERE ${where.join(' AND ')} ORDER BY t.${sort.at} DESC, t.${sort.position} DESC LIMIT ?`;
    const { rows, nextCursor } = keysetPage(this.statements.for(sql).all(...params, page.limit + 1), page.limit, (last) =>
      encodeInboxCursor(cursorOf(last, page.status)),
    );
    return { items: rows.map((row) => toTransfer(actor, row)), nextCursor };
  }
}

function cursorOf(row: InboxRow, status: InboxStatus): CursorPosition {
  if (status === 'pending') return { status, at: row.initiated_at, position: row.initiated_position };
  // A closed row always has both (the projection sets them together with the status).
  return { status, at: row.closed_at ?? '', position: row.closed_position ?? 0 };
}

function toTransfer(actor: Actor, row: InboxRow): InboxTransfer {
  return {
    seizureId: row.seizure_id,
    transferId: row.transfer_id,
    memoNumber: row.memo_number,
    state: row.state,
    district: row.district,
    itemIds: JSON.parse(row.item_ids) as string[],
    from: { kind: row.from_kind, id: row.from_id, name: row.from_name },
    to: { kind: row.to_kind, id: row.to_id, name: row.to_name },
    sealNumbers: JSON.parse(row.seal_numbers) as string[],
    reason: shownTo(actor, 'CustodyTransferInitiated', 'reason', parsePersonalColumn(row.reason)),
    initiatedAt: row.initiated_at,
    initiatedBy: { sub: row.initiated_by_sub, name: row.initiated_by_name },
    status: row.status,
    closedAt: row.closed_at,
    closedBy: row.closed_by_sub === null ? null : { sub: row.closed_by_sub, name: row.closed_by_name ?? '' },
  };
}
