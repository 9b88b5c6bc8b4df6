import type { Problem } from './problem';

/**
 * The one table from domain errors to HTTP problems. Each feature hands in its own entries at
 * bootstrap and the problem filter looks errors up here, so no controller translates errors and
 * this layer imports no feature.
 */

/** A domain error as the registry sees it: a stable code naming what went wrong. */
export interface CodedError extends Error {
  readonly code: string;
}

/** What the filter knows of the request that a mapping may need. */
export interface ProblemContext {
  /** If-Match named a revision (absent, blank and `*` name none): a lost race is then the caller's stale read. */
  readonly ifMatchGiven: boolean;
}

export type ProblemOf<E extends CodedError> = (error: E, context: ProblemContext) => Problem;

/** A class of any constructor signature; the registry only needs it for `instanceof`. */
type ErrorClass<E> = abstract new (...args: never[]) => E;

/** The problems of some codes of one error class. */
export interface ErrorProblems {
  readonly errorClass: ErrorClass<CodedError>;
  readonly codes: readonly string[];
  readonly problemOf: ProblemOf<CodedError>;
}

export function errorProblems<E extends CodedError>(
  errorClass: ErrorClass<E>,
  codes: readonly string[],
  problemOf: ProblemOf<E>,
): ErrorProblems {
  // Safe: the registry calls problemOf only for instances of errorClass.
  return { errorClass, codes, problemOf: problemOf as ProblemOf<CodedError> };
}

export class ErrorRegistry {
  private readonly byCode = new Map<string, ErrorProblems>();

  constructor(entries: readonly ErrorProblems[]) {
    for (const entry of entries) {
      for (const code of entry.codes) {
        // One code, one problem: a clash would make the answer depend on registration order.
        if (this.byCode.has(code)) throw new Error(`error code ${code} is registered twice`);
        this.byCode.set(code, entry);
      }
    }
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /**
   * The problem a registered domain error becomes, or undefined for any other value. The class is
   * checked as well as the code, so a stray `code` on a foreign error (ENOENT, a driver's) never matches.
   */
  problemFor(error: unknown, context: ProblemContext): Problem | undefined {
    if (!(error instanceof Error)) return undefined;
    const code: unknown = (error as Partial<CodedError>).code;
    if (typeof code !== 'string') return undefined;
    const entry = this.byCode.get(code);
    if (entry === undefined || !(error instanceof entry.errorClass)) return undefined;
    return entry.problemOf(error, context);
  }
}
