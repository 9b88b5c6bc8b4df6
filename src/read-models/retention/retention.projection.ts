import type { Database, Statement } from 'better-sqlite3';
import type { PersonalDataErased, SeizureEventEnvelope } from '../../custody/events';
import { isSealedEvent } from '../../custody/sealing/personal-data-sealing';
import type { ProjectedEvent, Projection } from '../../projections/projection';
import { positionTableProjection, type RowsBatch } from '../../projections/position-table-projection';
import { clockStartOf, erasableCounts, firstRetentionFold, foldRetention, type RetentionFold } from './retention-fold';
import { retentionCategoryOf } from './retention-schedule';

/**
 * Per seizure: when its retention clock started (null while a case is open or an item held), which
 * data subjects still hold data an erasure would name, and the erasures recorded. Due days are not
 * stored: they follow from the configured retention periods, read by the query, so changing a
 * period needs no rebuild. Subjects are the closed vocabulary of src/sealing/subjects.ts and field
 * references name events and paths only: no personal value is kept here.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS retention_seizures (
    seizure_id      TEXT PRIMARY KEY,
    memo_number     TEXT NOT NULL,
    state           TEXT NOT NULL,
    district        TEXT NOT NULL,
    constituency    INTEGER NOT NULL,
    -- Null while the personal data is still needed (custody/cases.ts retentionClockStartsAt).
    clock_starts_at TEXT,
    -- The RetentionFold as JSON: what the next event is folded into.
    fold            TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS retention_seizures_by_clock ON retention_seizures (clock_starts_at) WHERE clock_starts_at IS NOT NULL;

  CREATE TABLE IF NOT EXISTS retention_subjects (
    seizure_id      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    category        TEXT NOT NULL,
    sealed_fields   INTEGER NOT NULL,
    in_clear_fields INTEGER NOT NULL,
    last_erasure_event_id TEXT,
    PRIMARY KEY (seizure_id, subject)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS retention_erasures (
    event_id        TEXT PRIMARY KEY,
    seizure_id      TEXT NOT NULL,
    global_position INTEGER NOT NULL,
    subjects        TEXT NOT NULL,
    decided_at      TEXT NOT NULL,
    legal_basis     TEXT NOT NULL,
    order_reference TEXT NOT NULL,
    actor_sub       TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS retention_erasures_by_position ON retention_erasures (global_position);

  -- The last global position applied: an event at or below it was applied already and is ignored.
  CREATE TABLE IF NOT EXISTS retention_position (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
  );
  INSERT INTO retention_position (id, position) VALUES (1, 0) ON CONFLICT DO NOTHING;
`;

export const RETENTION_TABLES = ['retention_seizures', 'retention_subjects', 'retention_erasures', 'retention_position'] as const;

interface SeizureRow {
  seizureId: string;
  memoNumber: string;
  state: string;
  district: string;
  constituency: number;
  clockStartsAt: string | null;
  fold: string;
}
interface SubjectRow {
  seizureId: string;
  subject: string;
  category: string;
  sealedFields: number;
  inClearFields: number;
  lastErasureEventId: string | null;
}
interface ErasureRow {
  eventId: string;
  seizureId: string;
  globalPosition: number;
  subjects: string;
  decidedAt: string;
  legalBasis: string;
  orderReference: string;
  actorSub: string;
}

interface Statements {
  position: Statement<[], { position: number }>;
  fold: Statement<[string], string>;
  insertSeizure: Statement<[SeizureRow]>;
  updateSeizure: Statement<[{ seizureId: string; clockStartsAt: string | null; fold: string }]>;
  clearSubjects: Statement<[string]>;
  insertSubject: Statement<[SubjectRow]>;
  insertErasure: Statement<[ErasureRow]>;
  moveTo: Statement<[number]>;
}

function prepare(db: Database): Statements {
  return {
    position: db.prepare('SELECT position FROM retention_position WHERE id = 1'),
    fold: db.prepare<[string], string>('SELECT fold FROM retention_seizures WHERE seizure_id = ?').pluck(),
    // A second SeizureRecorded in a stream keeps the first, as evolve does.
    insertSeizure: db.prepare(
      `INSERT INTO retention_seizures (seizure_id, memo_number, state, district, constituency, clock_starts_at, fold)
       VALUES (@seizureId, @memoNumber, @state, @district, @constituency, @clockStartsAt, @fold) ON CONFLICT DO NOTHING`,
    ),
    updateSeizure: db.prepare('UPDATE retention_seizures SET clock_starts_at = @clockStartsAt, fold = @fold WHERE seizure_id = @seizureId'),
    clearSubjects: db.prepare('DELETE FROM retention_subjects WHERE seizure_id = ?'),
    insertSubject: db.prepare(
      `INSERT INTO retention_subjects (seizure_id, subject, category, sealed_fields, in_clear_fields, last_erasure_event_id)
       VALUES (@seizureId, @subject, @category, @sealedFields, @inClearFields, @lastErasureEventId)`,
    ),
    insertErasure: db.prepare(
      `INSERT INTO retention_erasures (event_id, seizure_id, global_position, subjects, decided_at, legal_basis, order_reference, actor_sub)
       VALUES (@eventId, @seizureId, @globalPosition, @subjects, @decidedAt, @legalBasis, @orderReference, @actorSub) ON CONFLICT DO NOTHING`,
    ),
    moveTo: db.prepare('UPDATE retention_position SET position = ? WHERE id = 1'),
  };
}

export const retentionProjection: Projection = positionTableProjection({
  name: 'retention',
  version: 1,
  schema: SCHEMA,
  tables: RETENTION_TABLES,
  prepare,
  applyRows: (sql, event) => {
    const rows = retentionRows(sql);
    rows.apply(event);
    rows.finish();
  },
  batchRows: retentionRows,
});

/** The event as evolve sees it: the decided instant, the recording actor, whether its fields were sealed. */
const envelopeOf = (event: ProjectedEvent): SeizureEventEnvelope =>
  ({
    type: event.type,
    data: event.data,
    eventId: event.eventId,
    actorSub: event.metadata.actor.sub,
    occurredAt: event.metadata.occurredAt,
    sealed: isSealedEvent(event),
  }) as SeizureEventEnvelope;

type SeizurePlace = Pick<SeizureRow, 'memoNumber' | 'state' | 'district' | 'constituency'>;

/** A seizure's fold as far as the batch has gone; `recorded` when its row is not written yet. */
interface Folded {
  fold: RetentionFold;
  recorded?: SeizurePlace;
}

/**
 * Each seizure's fold kept in memory through a batch, its row and subjects written once at the
 * end: a seizure's events mostly come close together (recorded, valued, handed over, accepted),
 * so a batch holds several of them, each of which would otherwise read, parse, rewrite and
 * re-serialise the same fold and subject rows. Erasures are rows of their own, written at once.
 */
function retentionRows(sql: Statements): RowsBatch {
  const folded = new Map<string, Folded>();
  const stored = (seizureId: string): Folded | undefined => {
    const json = sql.fold.get(seizureId);
    return json === undefined ? undefined : { fold: JSON.parse(json) as RetentionFold };
  };
  return {
    apply(event) {
      const { seizureId } = event;
      const envelope = envelopeOf(event);
      const before = folded.get(seizureId) ?? stored(seizureId);
      if (before === undefined) {
        // Events before a stream's SeizureRecorded change nothing, as in evolve.
        if (event.type !== 'SeizureRecorded') return;
        const { memoNumber, location } = event.data;
        folded.set(seizureId, {
          fold: firstRetentionFold(envelope as SeizureEventEnvelope & { type: 'SeizureRecorded' }),
          recorded: { memoNumber, state: location.state, district: location.district, constituency: location.assemblyConstituency },
        });
      } else {
        // A second SeizureRecorded in a stream keeps the first row, as evolve does, and is folded like any event.
        folded.set(seizureId, { ...before, fold: foldRetention(before.fold, envelope) });
      }
      if (event.type === 'PersonalDataErased') recordErasure(sql, event);
    },
    finish() {
      for (const [seizureId, { fold, recorded }] of folded) {
        const row = { seizureId, clockStartsAt: clockStartOf(fold), fold: JSON.stringify(fold) };
        if (recorded === undefined) sql.updateSeizure.run(row);
        else sql.insertSeizure.run({ ...recorded, ...row });
        writeSubjects(sql, seizureId, fold);
      }
      folded.clear();
    },
  };
}

function writeSubjects(sql: Statements, seizureId: string, fold: RetentionFold): void {
  sql.clearSubjects.run(seizureId);
  for (const { subject, sealedFields, inClearFields } of erasableCounts(fold)) {
    const category = retentionCategoryOf(subject);
    if (category === undefined) continue;
    const lastErasureEventId = fold.personalData[subject].lastErasure?.eventId ?? null;
    sql.insertSubject.run({ seizureId, subject, category, sealedFields, inClearFields, lastErasureEventId });
  }
}

function recordErasure(sql: Statements, event: ProjectedEvent & PersonalDataErased): void {
  const d = event.data;
  if (!Array.isArray(d.erasures)) return;
  sql.insertErasure.run({
    eventId: event.eventId,
    seizureId: event.seizureId,
    globalPosition: event.globalPosition,
    subjects: JSON.stringify(d.erasures.map((e) => e.subject)),
    decidedAt: event.metadata.occurredAt,
    legalBasis: d.legalBasis,
    orderReference: d.orderReference,
    actorSub: event.metadata.actor.sub,
  });
}
