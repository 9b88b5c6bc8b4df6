import type { JsonValue } from '../../shared/json';

/** The shape every error takes on its way to an RFC 9457 problem document (see problem-details.filter.ts). */

export interface FieldError {
  /** Path into the request body, e.g. `items[0].quantity`. */
  field: string;
  reason: string;
}

export interface Problem {
  status: number;
  /** Appended to PROBLEM_TYPE_BASE_URI to form `type`; without one, `type` is RFC 9457's `about:blank`. */
  slug?: string;
  title: string;
  detail: string;
  errors?: readonly FieldError[];
  /** RFC 9457 extension members, written beside the standard ones (which they cannot replace). */
  extensions?: Readonly<Record<string, JsonValue>>;
  /** Response headers the problem calls for, e.g. Retry-After. */
  headers?: Readonly<Record<string, string>>;
}
