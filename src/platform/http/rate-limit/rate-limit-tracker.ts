/** Injection token of the function naming the verified subject of a request (bound by the composition root). */
export const RATE_LIMIT_SUBJECT = Symbol('RateLimitSubject');

/**
 * The subject of the request's bearer token once its signature and times have been checked, else
 * undefined (no token, or one that does not verify). Provided by the auth feature, which the
 * platform may not import.
 */
export type VerifiedSubjectOf = (request: object) => string | undefined;

/**
 * Who a request counts against: a user whose token verifies, by subject; everyone else (no token,
 * a junk or expired one) by client address, so minting junk tokens never opens a fresh budget.
 */
export function rateLimitTracker(verifiedSubject: string | undefined, clientIp: string): string {
  if (verifiedSubject !== undefined) return `sub:${verifiedSubject}`;
  return `ip:${clientIp}`;
}
