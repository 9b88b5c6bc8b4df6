import type { IncomingMessage } from 'node:http';
import type { Actor } from '../shared/actor';
import { InvalidTokenError, type TokenVerifier } from './token-verifier';

/**
 * The one reading of a request's credentials. The scheme is case-insensitive and spaces may
 * surround the token; the token itself is everything else, checked by the verifier. The live
 * feed's `?access_token=` reaches here as this same header (see its middleware).
 */
const BEARER = /^Bearer +([^ ]+) *$/i;

export type RequestCredentials =
  | { kind: 'none' }
  | { kind: 'not-bearer' }
  | { kind: 'verified'; actor: Actor; expiresAtMs: number }
  | { kind: 'invalid'; error: InvalidTokenError };

// Beside the request rather than on it, so nothing the client sends can set it; one verification
// per request serves both the rate limiter (which runs first) and the auth guard.
const results = new WeakMap<object, RequestCredentials>();

export function credentialsOf(request: IncomingMessage, verifier: TokenVerifier): RequestCredentials {
  const known = results.get(request);
  if (known !== undefined) return known;
  const result = readCredentials(request.headers.authorization, verifier);
  results.set(request, result);
  return result;
}

function readCredentials(header: string | undefined, verifier: TokenVerifier): RequestCredentials {
  if (header === undefined) return { kind: 'none' };
  if (!/^Bearer(?: |$)/i.test(header)) return { kind: 'not-bearer' };
  const token = BEARER.exec(header)?.[1];
  try {
    if (token === undefined) throw new InvalidTokenError('malformed', 'malformed token: expected "Bearer <token>"');
    return { kind: 'verified', ...verifier.verifyToken(token) };
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    return { kind: 'invalid', error };
  }
}

/** The subject of the request's token if it verifies, for whatever must count per user. */
export function verifiedSubjectOf(request: IncomingMessage, verifier: TokenVerifier): string | undefined {
  const credentials = credentialsOf(request, verifier);
  return credentials.kind === 'verified' ? credentials.actor.sub : undefined;
}

/** When the verified token of this request expires (ms since the epoch); undefined without one. */
export function tokenExpiryOf(request: object): number | undefined {
  const credentials = results.get(request);
  return credentials?.kind === 'verified' ? credentials.expiresAtMs : undefined;
}
