import type { Database } from 'better-sqlite3';
import { CASH, LIQUOR, actors, recordSeizureCommand } from '../../../test/support/custody-fixtures';
import { applyAll, projectionDatabase } from '../../../test/support/projected-event-log';
import { retentionClockStartsAt } from '../../custody/cases';
import type { SeizureCommand } from '../../custody/command';
import type { RecordedSeizure } from '../../custody/state';
import { DEFAULT_RETENTION } from '../../config/retention-settings';
import type { Actor } from '../../shared/actor';
import { LedgerScenario } from '../custody-history/ledger-scenario.test-support';
import { RETENTION_TABLES, retentionProjection as projection } from './retention.projection';
import { RetentionQuery } from './retention.query';

const T0 = '2024-04-20T06:00:00.000Z';
const at = (days: number) => new Date(Date.parse(T0) + days * 86_400_000).toISOString();
const A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const B = 'aaaaaaaa-0000-4000-8000-00000000000b';
const C = 'aaaaaaaa-0000-4000-8000-00000000000c';
const SMALL_CASH = recordSeizureCommand().data.items.map((i) =>
  i.itemId === CASH ? { ...i, quantity: 4_000_000, estimatedValuePaise: 4_000_000 } : i,
);
const PERSON = { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' } };

const orderRelease = (orderNumber: string, itemIds: string[]): SeizureCommand => ({
  type: 'OrderRelease',
  data: { orderNumber, orderedOn: '2024-04-20', itemIds, releaseTo: PERSON, reasons: 'receipts produced' },
});
const release = (orderNumber: string, itemIds: string[]): SeizureCommand => ({
  type: 'ReleaseItems',
  data: { orderNumber, itemIds, releasedTo: PERSON, identityChecked: true, remarks: 'against receipt' },
});

const dump = (db: Database) => Object.fromEntries(RETENTION_TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));

describe('retention read model (SQLite)', () => {
  let db: Database;
  let scenario: LedgerScenario;
  let query: RetentionQuery;

  const step = (seizureId: string, command: SeizureCommand, actor: Actor, now: string) =>
    applyAll(db, projection, scenario.run(seizureId, command, actor, now));

  /** What the read model says of a seizure is what decide folds from the same events. */
  function expectAsDecideSees(seizureId: string): void {
    const state = scenario.stateOf(seizureId) as RecordedSeizure;
    const seen = query.seizure(seizureId);
    expect(seen?.clockStartsAt).toBe(retentionClockStartsAt(state));
    const erasable = Object.entries(state.personalData)
      .filter(([, d]) => d.sealed.length + d.inClear.length > 0)
      .map(([subject]) => subject)
      .sort();
    expect(seen?.subjects.filter((s) => s.erasable).map((s) => s.subject)).toEqual(erasable);
  }

  beforeEach(() => {
    db = projectionDatabase(projection);
    scenario = new LedgerScenario();
    query = new RetentionQuery(db, { retention: DEFAULT_RETENTION });
  });
  afterEach(() => db.close());

  function history(): void {
    // A: an FIR, a court's release, the FIR and the court case closed, then one subject erased, then an appeal reopens a court case.
    step(A, recordSeizureCommand({ seizureId: A, items: SMALL_CASH }), actors.flyingSquad, T0);
    expectAsDecideSees(A);
    step(
      A,
      { type: 'RegisterFir', data: { firNumber: '9/2024', policeStation: 'Cantt', registeredOn: '2024-04-20', sections: ['BNS 173'] } },
      actors.police,
      at(1),
    );
    step(A, orderRelease('CJM-1', [CASH, LIQUOR]), actors.court, at(2));
    step(A, release('CJM-1', [CASH, LIQUOR]), actors.flyingSquad, at(3));
    expectAsDecideSees(A);
    step(
      A,
      {
        type: 'CloseFir',
        data: { how: 'closure_report_accepted', closedOn: '2024-04-24', court: 'CJM Varanasi', reference: 'FR-9', remarks: '' },
      },
      actors.police,
      at(4),
    );
    expectAsDecideSees(A);
    step(
      A,
      {
        type: 'DisposeOfCourtProceedings',
        data: { disposedOn: '2024-04-25', court: 'CJM Varanasi', caseNumber: 'CC 9/2024', remarks: '' },
      },
      actors.court,
      at(5),
    );
    expectAsDecideSees(A);
    step(
      A,
      {
        type: 'ErasePersonalData',
        data: { subjects: ['witness-1'], legalBasis: 'retention_period_ended', orderReference: 'R-1', courtOrder: null },
      },
      actors.admin,
      at(6),
    );
    expectAsDecideSees(A);
    // B: released by the committee, no case ever; C: still held.
    step(B, recordSeizureCommand({ seizureId: B, items: SMALL_CASH }), actors.flyingSquad, T0);
    step(B, orderRelease('DGC-1', [CASH, LIQUOR]), actors.committee, at(1));
    step(B, release('DGC-1', [CASH]), actors.flyingSquad, at(2));
    expectAsDecideSees(B);
    step(B, release('DGC-1', [LIQUOR]), actors.flyingSquad, at(3));
    expectAsDecideSees(B);
    step(C, recordSeizureCommand({ seizureId: C }), actors.flyingSquad, T0);
    expectAsDecideSees(C);
  }

  it('folds the retention clock and the erasable subjects exactly as decide does, step by step', () => {
    history();
    expect(query.seizure(A)).toMatchObject({ status: 'running', clockStartsAt: at(5) });
    expect(query.seizure(A)?.subjects.find((s) => s.subject === 'witness-1')).toMatchObject({ erasable: false, due: null });
    expect(query.seizure(A)?.erasures).toEqual([
      expect.objectContaining({
        subjects: ['witness-1'],
        decidedAt: at(6),
        orderReference: 'R-1',
        legalBasis: 'retention_period_ended',
        actorSub: actors.admin.sub,
      }),
    ]);
    expect(query.seizure(B)).toMatchObject({ status: 'running', clockStartsAt: at(3) });
    expect(query.seizure(C)).toMatchObject({ status: 'not-started', clockStartsAt: null });
    expect(query.erasuresAfter(0).map((e) => e.seizureId)).toEqual([A]);
  });

  it('lists due subjects by their category’s period, and nothing of a seizure whose clock has not started', () => {
    history();
    const witnessDue = query.seizure(A)?.subjects.find((s) => s.subject === 'witness-2')?.due;
    expect(witnessDue).toMatchObject({ category: 'witness', retentionDays: 365, dueDay: '2025-04-26' });
    // Earliest first: B's clock started two days before A's; A's witness-1 is erased already.
    expect(query.dueBy(witnessDue?.dueAt ?? '').map((d) => [d.seizureId, d.subject, d.dueDay])).toEqual([
      [B, 'witness-1', '2025-04-24'],
      [B, 'witness-2', '2025-04-24'],
      [A, 'witness-2', '2025-04-26'],
    ]);
    // Seized-from and the rest fall due after 1096 days; C, still held, never.
    expect(query.dueBy('2030-01-01T00:00:00.000Z').filter((d) => d.seizureId === C)).toEqual([]);
  });

  it('gives the same rows when rebuilt in batches of any size, and ignores events applied again', () => {
    history();
    const live = dump(db);
    applyAll(db, projection, scenario.events);
    expect(dump(db)).toEqual(live);

    // A batch folds each seizure in memory and writes it at its end: in one batch, or in batches
    // that split seizures' histories anywhere, the rows are those of one event at a time.
    for (const size of [scenario.events.length, 2, 3, 7]) {
      projection.teardown(db);
      projection.setup(db);
      for (let from = 0; from < scenario.events.length; from += size) {
        db.transaction(() => {
          const batch = projection.beginBatch?.(db);
          for (const event of scenario.events.slice(from, from + size)) batch?.apply(event);
          batch?.finish();
        })();
      }
      expect({ size, rows: dump(db) }).toEqual({ size, rows: live });
    }
    expect(JSON.stringify(live)).not.toContain(PERSON.name);
    expect(JSON.stringify(live)).not.toContain('Mohan Lal');
  });
});
