import type { VerificationReport } from './bundle.verify';

/**
 * What a verification report lets its reader conclude, said the same way by the CLI and the web
 * console:
 * - `verified`: every check holds, against a key from outside the bundle;
 * - `self-consistent`: every check holds, but the signature was checked with the bundle's own key,
 *   which proves the bundle agrees with itself, not who signed it; never shown as a success;
 * - `not-verified`: a check failed.
 */
export type Verdict = 'verified' | 'self-consistent' | 'not-verified';

export function verdictOf(report: VerificationReport): Verdict {
  if (!report.ok) return 'not-verified';
  return report.checks.some((c) => c.unproven) ? 'self-consistent' : 'verified';
}

/** One line saying the verdict about `subject` (a file name, a pair of heads). */
export function verdictLine(report: VerificationReport, subject: string): string {
  switch (verdictOf(report)) {
    case 'verified':
      return `VERIFIED: ${subject} — every check passed${witnessClause(report)}.`;
    case 'self-consistent':
      return `NOT AUTHENTICATED: ${subject} agrees with itself, but its signature was checked only with the key inside it. Check it against the ledger's published key.`;
    case 'not-verified': {
      const failed = report.checks.filter((c) => !c.ok).length;
      const short = report.witnesses !== undefined && report.witnesses.cosignedBy.length < report.witnesses.quorum;
      const quorum = short
        ? ` (cosigned by ${report.witnesses?.cosignedBy.length} of the ${report.witnesses?.quorum} witnesses required)`
        : '';
      return `NOT VERIFIED: ${subject} — ${failed} check${failed === 1 ? '' : 's'} failed${quorum}.`;
    }
  }
}

/** The mark a check is shown with: a tick only for what was proven. */
export function checkMark(check: VerificationReport['checks'][number]): '✓' | '✗' | '!' {
  if (!check.ok) return '✗';
  return check.unproven ? '!' : '✓';
}

/** ", cosigned by a and b (quorum 2)" when witnesses were checked; the names are the given witnesses'. */
function witnessClause(report: VerificationReport): string {
  const w = report.witnesses;
  if (w === undefined) return '';
  return w.cosignedBy.length === 0 ? `, no witness required` : `, cosigned by ${w.cosignedBy.join(' and ')} (quorum ${w.quorum})`;
}
