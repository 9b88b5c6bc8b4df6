import { Inject, Injectable } from '@nestjs/common';
import type { Database, Statement } from 'better-sqlite3';
import { APP_CONFIG, type AppConfig, type RetentionCategory } from '../../config/app-config';
import { READ_MODEL_DB } from '../../projections/projection';
import { erasureDue, type ErasureDue } from './retention-schedule';

const DAY_MS = 86_400_000;

interface SeizureColumns {
  seizureId: string;
  memoNumber: string;
  state: string;
  district: string;
  constituency: number;
}

/** A data subject of a seizure whose retention has run out (or runs out before the horizon asked about). */
export interface DueErasure extends SeizureColumns, ErasureDue {
  subject: string;
  clockStartsAt: string;
}

/** What the read model knows of one subject of a seizure. */
export interface SubjectRetention {
  subject: string;
  category: RetentionCategory;
  /** Fields an erasure would still name: sealed ones to shred, and ones in clear not yet recorded as kept. */
  erasable: boolean;
  /** When its erasure falls due; null while the retention clock has not started, or when nothing is left to erase. */
  due: ErasureDue | null;
  lastErasureEventId: string | null;
}

/** An erasure recorded in the log, as the retention worker carries it out again. */
export interface RecordedErasure {
  eventId: string;
  seizureId: string;
  globalPosition: number;
  subjects: string[];
  decidedAt: string;
  legalBasis: string;
  orderReference: string;
  /** Who recorded it: `system:retention` for the worker's own. */
  actorSub: string;
}

export interface SeizureRetention extends SeizureColumns {
  /** `not-started`: a case is open or an item held, nothing falls due; `running`: the clock started at clockStartsAt. */
  status: 'not-started' | 'running';
  clockStartsAt: string | null;
  subjects: SubjectRetention[];
  erasures: RecordedErasure[];
}

interface DueRow extends SeizureColumns {
  clockStartsAt: string;
  subject: string;
}
interface SeizureRow extends SeizureColumns {
  clockStartsAt: string | null;
}
interface SubjectRow {
  subject: string;
  category: RetentionCategory;
  erasable: 0 | 1;
  lastErasureEventId: string | null;
}
interface ErasureRow extends Omit<RecordedErasure, 'subjects'> {
  subjects: string;
}

interface Statements {
  due: Statement<[{ latestStart: string }], DueRow>;
  seizure: Statement<[string], SeizureRow>;
  subjects: Statement<[string], SubjectRow>;
  erasuresOf: Statement<[string], ErasureRow>;
  erasuresAfter: Statement<[number, number], ErasureRow>;
  position: Statement<[], number>;
}

const SEIZURE = 's.seizure_id AS seizureId, s.memo_number AS memoNumber, s.state, s.district, s.constituency';
const ERASURE = `event_id AS eventId, seizure_id AS seizureId, global_position AS globalPosition, subjects, decided_at AS decidedAt,
  legal_basis AS legalBasis, order_reference AS orderReference, actor_sub AS actorSub`;

function prepare(db: Database): Statements {
  return {
    due: db.prepare(`
      SELECT ${SEIZURE}, s.clock_starts_at AS clockStartsAt, p.subject
        FROM retention_seizures s
        JOIN retention_subjects p USING (seizure_id)
       WHERE s.clock_starts_at IS NOT NULL AND s.clock_starts_at < @latestStart AND (p.sealed_fields > 0 OR p.in_clear_fields > 0)
       ORDER BY s.clock_starts_at, s.seizure_id, p.subject`),
    seizure: db.prepare(`SELECT ${SEIZURE}, s.clock_starts_at AS clockStartsAt FROM retention_seizures s WHERE s.seizure_id = ?`),
    subjects: db.prepare(`
      SELECT subject, category, (sealed_fields > 0 OR in_clear_fields > 0) AS erasable, last_erasure_event_id AS lastErasureEventId
        FROM retention_subjects WHERE seizure_id = ? ORDER BY subject`),
    erasuresOf: db.prepare(`SELECT ${ERASURE} FROM retention_erasures WHERE seizure_id = ? ORDER BY global_position`),
    erasuresAfter: db.prepare(`SELECT ${ERASURE} FROM retention_erasures WHERE global_position > ? ORDER BY global_position LIMIT ?`),
    position: db.prepare<[], number>('SELECT position FROM retention_position WHERE id = 1').pluck(),
  };
}

const erasureOf = (row: ErasureRow): RecordedErasure => ({ ...row, subjects: JSON.parse(row.subjects) as string[] });

/** The retention read model: when each seizure's personal data falls due for erasure under the configured periods. */
@Injectable()
export class RetentionQuery {
  private statements: Statements | undefined;

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'retention'>,
  ) {}

  // Prepared on first use: the projector creates the tables after this query is constructed.
  private get sql(): Statements {
    return (this.statements ??= prepare(this.db));
  }

  /** Subjects with data left to erase whose erasure falls due at or before `horizon` (ISO instant), earliest first. */
  dueBy(horizon: string): DueErasure[] {
    const shortest = Math.min(...Object.values(this.config.retention.days));
    // A clock that started later than this cannot be due by the horizon for any category: SQL skips it.
    const latestStart = new Date(Date.parse(horizon) - shortest * DAY_MS + DAY_MS).toISOString();
    return this.sql.due
      .all({ latestStart })
      .flatMap((row) => {
        const due = erasureDue(row.clockStartsAt, row.subject, this.config.retention);
        return due !== undefined && due.dueAt <= horizon ? [{ ...row, ...due }] : [];
      })
      .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
  }

  /** Everything the read model knows of one seizure's retention; undefined for a seizure it does not know. */
  seizure(seizureId: string): SeizureRetention | undefined {
    const row = this.sql.seizure.get(seizureId);
    if (row === undefined) return undefined;
    const subjects = this.sql.subjects.all(seizureId).map((s): SubjectRetention => ({
      subject: s.subject,
      category: s.category,
      erasable: s.erasable === 1,
      due:
        row.clockStartsAt !== null && s.erasable === 1 ? (erasureDue(row.clockStartsAt, s.subject, this.config.retention) ?? null) : null,
      lastErasureEventId: s.lastErasureEventId,
    }));
    return {
      ...row,
      status: row.clockStartsAt === null ? 'not-started' : 'running',
      subjects,
      erasures: this.sql.erasuresOf.all(seizureId).map(erasureOf),
    };
  }

  /** Erasures recorded after a global position, oldest first, at most `limit`. */
  erasuresAfter(position: number, limit = 500): RecordedErasure[] {
    return this.sql.erasuresAfter.all(position, limit).map(erasureOf);
  }

  /** The last global position the read model applied. */
  position(): number {
    return this.sql.position.get() ?? 0;
  }
}
