import { sha256 } from '../../../shared/sha256';

const BEARER = /^Bearer +([^ ]+) *$/i;

/**
 * Who a request counts against: the bearer token when there is one, else the client address.
 * The token is read from the header rather than from the verified actor so that the count does
 * not depend on which global guard runs first; it is hashed so no credential sits in memory
 * as a map key. Invalid tokens are counted too, which limits guessing from any one token.
 */
export function rateLimitTracker(authorization: string | undefined, clientIp: string): string {
  const token = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (token !== undefined) return `token:${sha256(token, 'hex')}`;
  return `ip:${clientIp}`;
}
