import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { CASH, LIQUOR, actors, custodians, recordSeizureCommand, seizureRecorded } from '../../../test/support/custody-fixtures';
import { applyAll, projectionDatabase } from '../../../test/support/projected-event-log';
import type { Custodian, SeizureLocation } from '../../custody/values';
import { seizureStreamName } from '../../custody/events';
import type { SeizureCommand } from '../../custody/command';
import { decide } from '../../custody/decide';
import { SqliteEventStore } from '../../ledger/sqlite/sqlite-event-store';
import type { Actor } from '../../shared/actor';
import { FixedClock } from '../../shared/clock';
import { openDurableDatabase } from '../../platform/sqlite/durable-database';
import { LedgerScenario } from '../custody-history/ledger-scenario.test-support';
import { prepareReadModelSchema } from '../../projections/checkpoints';
import { ProjectorLock } from '../../projections/projector-lock';
import { rebuildProjections } from '../../projections/rebuild';
import { TRANSFER_INBOX_TABLES, transferInboxProjection as projection, type InboxStatus } from './transfer-inbox.projection';
import { InvalidInboxRequest, TransferInboxQuery, decodeInboxCursor, encodeInboxCursor, type InboxTransfer } from './transfer-inbox.query';

const HOUR = 3_600_000;
const T0 = '2024-04-19T06:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(T0) + hours * HOUR).toISOString();

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const LKO = 'aaaaaaaa-0000-4000-8000-000000000002';
const VARANASI = recordSeizureCommand().data.location;
const LUCKNOW: SeizureLocation = { ...VARANASI, district: 'UP-LKO', assemblyConstituency: 173, parliamentaryConstituency: 35 };

const MALKHANA = custodians.malkhana;
const TEAM = custodians.flyingSquad;
/** Handed to one treasury officer in person, not to the treasury. */
const SUNITA: Custodian = { kind: 'person', id: actors.treasuryOfficer.sub, name: actors.treasuryOfficer.name };

const initiate = (
  transferId: string,
  itemIds: string[],
  to: Custodian,
  sealNumbers: string[] = [],
  reason = 'case property',
): SeizureCommand => ({
  type: 'InitiateCustodyTransfer',
  data: { transferId, itemIds, to, sealNumbers, reason },
});
const accept = (transferId: string, counted: Array<[string, number]>, seals: string[] = []): SeizureCommand => ({
  type: 'AcceptCustodyTransfer',
  data: {
    transferId,
    seals: seals.map((number) => ({ number, condition: 'intact' as const })),
    countedQuantities: counted.map(([itemId, quantity]) => ({ itemId, quantity })),
    remarks: '',
  },
});
const reject = (transferId: string): SeizureCommand => ({ type: 'RejectCustodyTransfer', data: { transferId, reason: 'no space today' } });

const dump = (db: Database) =>
  Object.fromEntries(TRANSFER_INBOX_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));

describe('transfer inbox projection and query (SQLite)', () => {
  let db: Database;
  let scenario: LedgerScenario;
  let query: TransferInboxQuery;

  const step = (seizureId: string, command: SeizureCommand, actor: Actor, now: string) =>
    applyAll(db, projection, scenario.run(seizureId, command, actor, now));
  const inbox = (actor: Actor, status: InboxStatus = 'pending') => query.inbox(actor, { status, limit: 200 }).items;
  const ids = (items: InboxTransfer[]) => items.map((t) => t.transferId);

  beforeEach(() => {
    db = projectionDatabase(projection);
    scenario = new LedgerScenario();
    query = new TransferInboxQuery(db);
    step(A, recordSeizureCommand({ seizureId: A }), actors.flyingSquad, T0);
  });
  afterEach(() => db.close());

  it('lists a pending transfer in its recipient unit’s inbox, with what the recipient needs to decide', () => {
    step(
      A,
      initiate('t-liquor', [LIQUOR], MALKHANA, ['S-1002', 'S-1003'], 'case property under the Excise Act'),
      actors.flyingSquad,
      at(1),
    );

    const page = query.inbox(actors.malkhana, { status: 'pending', limit: 50 });
    expect(page).toEqual({
      items: [
        {
          seizureId: A,
          transferId: 't-liquor',
          memoNumber: 'FS3/VNS/2024/117',
          state: 'UP',
          district: 'UP-VNS',
          itemIds: [LIQUOR],
          from: TEAM,
          to: MALKHANA,
          sealNumbers: ['S-1002', 'S-1003'],
          // Free text that may name a person: withheld from a custodian (custody/personal-data.ts).
          reason: { redacted: true, reason: expect.any(String) },
          initiatedAt: at(1),
          initiatedBy: { sub: actors.flyingSquad.sub, name: actors.flyingSquad.name },
          status: 'pending',
          closedAt: null,
          closedBy: null,
        },
      ],
      nextCursor: null,
    });
    // The sender is not the recipient: nothing waits for the flying squad.
    expect(inbox(actors.flyingSquad)).toEqual([]);
  });

  it('takes a transfer out of the inbox once rejected or accepted, and lists it under that status with when and by whom', () => {
    step(A, initiate('t-1', [LIQUOR], MALKHANA), actors.flyingSquad, at(1));
    step(A, reject('t-1'), actors.malkhana, at(2));
    expect(inbox(actors.malkhana)).toEqual([]);
    expect(inbox(actors.malkhana, 'rejected')).toEqual([
      expect.objectContaining({
        transferId: 't-1',
        status: 'rejected',
        closedAt: at(2),
        closedBy: { sub: actors.malkhana.sub, name: actors.malkhana.name },
      }),
    ]);

    step(A, initiate('t-2', [LIQUOR], MALKHANA, ['S-1002']), actors.flyingSquad, at(3));
    expect(ids(inbox(actors.malkhana))).toEqual(['t-2']);
    step(A, accept('t-2', [[LIQUOR, 48_000]], ['S-1002']), actors.malkhana, at(4));
    expect(inbox(actors.malkhana)).toEqual([]);
    expect(inbox(actors.malkhana, 'accepted')).toEqual([
      expect.objectContaining({ transferId: 't-2', status: 'accepted', initiatedAt: at(3), closedAt: at(4) }),
    ]);
    expect(ids(inbox(actors.malkhana, 'rejected'))).toEqual(['t-1']);
  });

  it('addresses a person by user id and a unit by unit id, never one for the other', () => {
    step(A, initiate('t-person', [CASH], SUNITA), actors.flyingSquad, at(1));
    step(A, initiate('t-unit', [LIQUOR], MALKHANA), actors.flyingSquad, at(2));

    expect(ids(inbox(actors.treasuryOfficer))).toEqual(['t-person']);
    // Her colleague in the same treasury: the transfer names her, not the treasury.
    expect(inbox(actors.treasuryAccountant)).toEqual([]);
    // Anyone acting for the malkhana sees what is addressed to it.
    expect(ids(inbox({ ...actors.malkhana, sub: 'u-mk-2', name: 'Constable Pal' }))).toEqual(['t-unit']);
    // A user whose id happens to spell the unit's id is not the unit.
    expect(inbox({ ...actors.otherTeam, sub: MALKHANA.id })).toEqual([]);
    // …and a unit whose id spells a user's id is not that user.
    expect(inbox({ ...actors.otherTeam, unit: SUNITA.id })).toEqual([]);
  });

  it('shows another unit nothing, in any status', () => {
    step(A, initiate('t-1', [LIQUOR], MALKHANA), actors.flyingSquad, at(1));
    step(A, initiate('t-2', [CASH], custodians.treasury), actors.flyingSquad, at(1));
    step(A, accept('t-2', [[CASH, 125_000_000]]), actors.treasuryOfficer, at(2));
    for (const other of [actors.otherTeam, actors.otherTreasury, actors.police, actors.auditor, actors.court, actors.admin]) {
      for (const status of ['pending', 'accepted', 'rejected'] as const)
        expect({ who: other.sub, status, items: inbox(other, status) }).toEqual({ who: other.sub, status, items: [] });
    }
  });

  it('lists exactly the pending transfers decide lets the caller answer: by address and within jurisdiction', () => {
    step(LKO, recordSeizureCommand({ seizureId: LKO, memoNumber: 'FS1/LKO/2024/1', location: LUCKNOW }), actors.outOfDistrict, T0);
    step(A, initiate('a-cash', [CASH], SUNITA), actors.flyingSquad, at(1));
    step(A, initiate('a-liquor', [LIQUOR], MALKHANA), actors.flyingSquad, at(2));
    // Addressed to the Varanasi malkhana and the Lucknow treasury, but the seizure is in Lucknow:
    // the Varanasi-scoped malkhana may not act on it, nor may a Lucknow treasurer scoped to Varanasi.
    step(LKO, initiate('lko-liquor', [LIQUOR], MALKHANA), actors.outOfDistrict, at(3));
    step(
      LKO,
      initiate('lko-cash', [CASH], { kind: 'treasury', id: 'TR-LKO', name: 'District Treasury Lucknow' }),
      actors.outOfDistrict,
      at(4),
    );

    const everyone: Actor[] = [
      ...Object.values(actors),
      { ...actors.malkhana, sub: 'u-mk-up', scope: { national: false, states: ['UP'], districts: [] } },
      { ...actors.otherTreasury, sub: 'u-tr-lko-2', scope: { national: false, states: [], districts: ['UP-LKO'] } },
    ];
    const pending: Array<[string, string]> = [
      [A, 'a-cash'],
      [A, 'a-liquor'],
      [LKO, 'lko-liquor'],
      [LKO, 'lko-cash'],
    ];
    for (const actor of everyone) {
      const mayAnswer = pending
        .filter(([seizureId, transferId]) => {
          try {
            decide(reject(transferId), scenario.stateOf(seizureId), { actor, now: at(5) });
            return true;
          } catch {
            return false;
          }
        })
        .map(([, transferId]) => transferId)
        .sort();
      expect({ actor: actor.sub, listed: ids(inbox(actor)).sort() }).toEqual({ actor: actor.sub, listed: mayAnswer });
    }
    // The check above is not vacuous: some see something, and the scope keeps some out.
    expect(ids(inbox(everyone.at(-2) as Actor)).sort()).toEqual(['a-liquor', 'lko-liquor']);
    expect(ids(inbox(actors.malkhana))).toEqual(['a-liquor']);
    expect(ids(inbox(everyone.at(-1) as Actor))).toEqual(['lko-cash']);
  });

  it('changes nothing when events it has applied come again, at the same positions', () => {
    step(A, initiate('t-1', [LIQUOR], MALKHANA), actors.flyingSquad, at(1));
    step(A, accept('t-1', [[LIQUOR, 48_000]]), actors.malkhana, at(2));
    step(A, initiate('t-2', [CASH], SUNITA), actors.flyingSquad, at(3));
    const before = dump(db);

    applyAll(db, projection, scenario.events);
    // Above all, the initiation of an accepted transfer does not bring it back to the inbox.
    const initiation = scenario.events.find((e) => e.type === 'CustodyTransferInitiated');
    applyAll(db, projection, [initiation!, initiation!]);

    expect(dump(db)).toEqual(before);
    expect(inbox(actors.malkhana)).toEqual([]);
    expect(ids(inbox(actors.malkhana, 'accepted'))).toEqual(['t-1']);
    expect(ids(inbox(actors.treasuryOfficer))).toEqual(['t-2']);
  });

  describe('paging', () => {
    const seizure = (n: number) => `bbbbbbbb-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const COUNT = 11;

    beforeEach(() => {
      for (let n = 0; n < COUNT; n++) {
        step(seizure(n), recordSeizureCommand({ seizureId: seizure(n), memoNumber: `M/${n}` }), actors.flyingSquad, T0);
        // Four distinct times for eleven transfers: ties on the time are the rule; the position breaks them.
        step(seizure(n), initiate(`p-${n}`, [LIQUOR], MALKHANA), actors.flyingSquad, at(1 + (n % 4)));
      }
      // Answered in another order than they came, so answered ones sort by when they were answered.
      for (const n of [3, 9, 0, 6]) step(seizure(n), reject(`p-${n}`), actors.malkhana, at(10 + n));
    });

    const pageThrough = (status: InboxStatus, limit: number): InboxTransfer[] => {
      const seen: InboxTransfer[] = [];
      let cursor: string | undefined;
      for (let pages = 0; ; pages++) {
        const page = query.inbox(actors.malkhana, { status, limit, cursor });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items);
        if (page.nextCursor === null) return seen;
        cursor = page.nextCursor;
        // A cursor that does not advance would page forever: fail instead of hanging.
        expect(pages).toBeLessThan(COUNT);
      }
    };

    it.each([1, 2, 3, 7, 200])('pages through pending transfers newest first, %i at a time, with no duplicate and no omission', (limit) => {
      const all = pageThrough('pending', limit);
      expect(all).toHaveLength(COUNT - 4);
      expect(new Set(ids(all)).size).toBe(all.length);
      const expected = [...all].sort((x, y) => (x.initiatedAt === y.initiatedAt ? 0 : x.initiatedAt < y.initiatedAt ? 1 : -1));
      expect(all.map((t) => t.initiatedAt)).toEqual(expected.map((t) => t.initiatedAt));
      // Same time: the later-started (higher n here) first.
      expect(ids(all)).toEqual(['p-7', 'p-10', 'p-2', 'p-5', 'p-1', 'p-8', 'p-4']);
    });

    it('pages through answered transfers by when they were answered', () => {
      expect(ids(pageThrough('rejected', 3))).toEqual(['p-9', 'p-6', 'p-3', 'p-0']);
      expect(pageThrough('accepted', 3)).toEqual([]);
    });

    it('gives a transfer started between two pages on neither later page, and repeats none', () => {
      const first = query.inbox(actors.malkhana, { status: 'pending', limit: 3 });
      step(seizure(3), initiate('late', [LIQUOR], MALKHANA), actors.flyingSquad, at(20));
      const second = query.inbox(actors.malkhana, { status: 'pending', limit: 50, cursor: first.nextCursor ?? undefined });
      expect([...ids(first.items), ...ids(second.items)]).toEqual(['p-7', 'p-10', 'p-2', 'p-5', 'p-1', 'p-8', 'p-4']);
      expect(ids(inbox(actors.malkhana))[0]).toBe('late');
    });

    it('refuses a cursor it did not issue or issued for another status, a limit out of range and an unknown status, naming the parameter', () => {
      const cursor = query.inbox(actors.malkhana, { status: 'pending', limit: 2 }).nextCursor as string;
      expect(decodeInboxCursor(cursor, 'pending')).toEqual({ status: 'pending', at: at(3), position: expect.any(Number) });
      const field = (page: Parameters<TransferInboxQuery['inbox']>[1]): string => {
        try {
          query.inbox(actors.malkhana, page);
          return 'accepted';
        } catch (error) {
          if (error instanceof InvalidInboxRequest) return error.field;
          throw error;
        }
      };
      expect(field({ status: 'pending', limit: 2, cursor })).toBe('accepted');
      expect(field({ status: 'rejected', limit: 2, cursor })).toBe('cursor');
      expect(field({ status: 'pending', limit: 2, cursor: 'not a cursor!' })).toBe('cursor');
      expect(field({ status: 'pending', limit: 2, cursor: Buffer.from('{"a":1}').toString('base64url') })).toBe('cursor');
      expect(field({ status: 'pending', limit: 2, cursor: encodeInboxCursor({ status: 'pending', at: at(1), position: 1.5 }) })).toBe(
        'cursor',
      );
      expect(field({ status: 'pending', limit: 0 })).toBe('limit');
      expect(field({ status: 'pending', limit: 201 })).toBe('limit');
      expect(field({ status: 'open' as InboxStatus, limit: 2 })).toBe('status');
    });
  });
});

/** A ledger written by an earlier release, read back through the projector's own path (upcasters included). */
describe('transfer inbox over a real SQLite store with version 1 acceptances', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-inbox-'));
    store = SqliteEventStore.open({ filename: join(dir, 'ledger.sqlite'), clock: new FixedClock('2024-04-21T06:00:00.000Z') });
    db = openDurableDatabase(join(dir, 'read-models.sqlite'), prepareReadModelSchema);
  });
  afterEach(async () => {
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('closes a transfer accepted in the version 1 shape, and keeps the other one pending', async () => {
    const actor = (a: Actor) => ({ sub: a.sub, name: a.name, unit: a.unit, agency: a.agency, roles: a.roles });
    const meta = (a: Actor, occurredAt: string, schemaVersion?: number) => ({
      actor: actor(a),
      occurredAt,
      ...(schemaVersion === undefined ? {} : { schemaVersion }),
    });
    const { actorSub: _ignored, ...recorded } = seizureRecorded({ seizureId: A });
    await store.appendToStream(seizureStreamName(A), [
      // Written before schema versions were recorded at all: read as version 1.
      { id: randomUUID(), type: recorded.type, data: recorded.data as never, metadata: meta(actors.flyingSquad, T0) },
      {
        id: randomUUID(),
        type: 'CustodyTransferInitiated',
        data: { transferId: 't-cash', itemIds: [CASH], from: TEAM, to: custodians.treasury, sealNumbers: ['S-1001'], reason: 'deposit' },
        metadata: meta(actors.flyingSquad, at(1), 1),
      },
      {
        id: randomUUID(),
        type: 'CustodyTransferAccepted',
        data: {
          transferId: 't-cash',
          itemIds: [CASH],
          from: TEAM,
          to: custodians.treasury,
          sealsIntact: true,
          sealNumbersFound: ['S-1001'],
          countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
          remarks: 'v1 acceptance',
        },
        metadata: meta(actors.treasuryOfficer, at(2), 1),
      },
      {
        id: randomUUID(),
        type: 'CustodyTransferInitiated',
        data: { transferId: 't-liquor', itemIds: [LIQUOR], from: TEAM, to: MALKHANA, sealNumbers: ['S-1002'], reason: 'case property' },
        metadata: meta(actors.flyingSquad, at(3), 1),
      },
    ]);

    const lock = new ProjectorLock(db, 'rebuild');
    expect(lock.tryAcquire().acquired).toBe(true);
    await rebuildProjections(db, store, [projection], { lock, restart: true });
    lock.release();

    const query = new TransferInboxQuery(db);
    expect(query.inbox(actors.treasuryAccountant, { status: 'pending', limit: 50 }).items).toEqual([]);
    expect(query.inbox(actors.treasuryAccountant, { status: 'accepted', limit: 50 }).items).toEqual([
      expect.objectContaining({
        transferId: 't-cash',
        to: custodians.treasury,
        sealNumbers: ['S-1001'],
        initiatedAt: at(1),
        status: 'accepted',
        closedAt: at(2),
        closedBy: { sub: actors.treasuryOfficer.sub, name: actors.treasuryOfficer.name },
      }),
    ]);
    expect(query.inbox(actors.malkhana, { status: 'pending', limit: 50 }).items.map((t) => t.transferId)).toEqual(['t-liquor']);
  });
});
