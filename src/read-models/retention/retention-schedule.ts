import type { RetentionCategory, RetentionConfig } from '../../config/app-config';
import { endOfIndianDay, indianDayOf } from '../../shared/indian-day';

/** The retention category of a data subject (seized-from, witness-<n>, release-recipient-<n>, free-text); undefined outside the vocabulary. */
export function retentionCategoryOf(subject: string): RetentionCategory | undefined {
  if (subject === 'seized-from' || subject === 'free-text') return subject;
  if (/^witness-[1-9][0-9]{0,3}$/.test(subject)) return 'witness';
  if (/^release-recipient-[1-9][0-9]{0,3}$/.test(subject)) return 'release-recipient';
  return undefined;
}

/** When a subject's data falls due for erasure. */
export interface ErasureDue {
  category: RetentionCategory;
  /** The retention period applied, in whole days. */
  retentionDays: number;
  /** The first Indian day on which the data may be erased (YYYY-MM-DD). */
  dueDay: string;
  /** 00:00 IST of that day, UTC ISO-8601. */
  dueAt: string;
}

/**
 * The data is kept for `days` whole Indian days after the day the retention clock started (that
 * day not counted, as the Limitation Act and the General Clauses Act count a period), and falls
 * due at the start of the next: with 1096 days and a clock starting on 2024-05-01 at any hour, it
 * is kept through 2027-05-02 and due on 2027-05-03. Undefined for a subject outside the vocabulary.
 */
export function erasureDue(clockStartsAt: string, subject: string, retention: Pick<RetentionConfig, 'days'>): ErasureDue | undefined {
  const category = retentionCategoryOf(subject);
  if (category === undefined) return undefined;
  const retentionDays = retention.days[category];
  const dueAt = endOfIndianDay(indianDayOf(clockStartsAt), retentionDays);
  return { category, retentionDays, dueDay: indianDayOf(dueAt), dueAt };
}

/** The order reference an automatic erasure records: the rule it followed, e.g. `retention:seized-from:1096d`. */
export const retentionOrderReference = (due: Pick<ErasureDue, 'category' | 'retentionDays'>): string =>
  `retention:${due.category}:${due.retentionDays}d`;
