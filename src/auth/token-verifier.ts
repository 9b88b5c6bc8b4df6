import { verify as verifyWithKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '../shared/actor';
import { Clock, systemClock } from '../shared/clock';
import { sha256 } from '../shared/sha256';
import { actorFromClaims } from './actor-claims';
import type { AuthConfig, JwtAlgorithm } from './auth-config';

export type InvalidTokenCode =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'invalid_claims';

/**
 * Why a token was refused. The reason is safe to send back to the client: it never contains the
 * token, key material, or a claim value from a token whose signature has not been checked.
 */
export class InvalidTokenError extends Error {
  constructor(
    readonly code: InvalidTokenCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

/** Generous for any real token; stops a huge header from costing decode and parse work. */
export const MAX_TOKEN_LENGTH = 8192;

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const SIGNATURE_SEGMENT = /^[A-Za-z0-9_-]*$/;

interface ParsedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** `<header>.<payload>` as sent: the bytes the signature covers. */
  signingInput: string;
  signature: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** How long a verified token is trusted without checking its signature again. */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
/** Most tokens remembered at once; the least recently used is forgotten first. */
export const VERIFIED_TOKEN_CACHE_SIZE = 1000;

export interface VerifiedTokenCacheOptions {
  ttlMs: number;
  maxEntries: number;
}

/** A token that passed every check, and the window (in seconds since the epoch) in which its time checks pass. */
interface VerifiedToken {
  actor: Actor;
  /** The token's `exp`, in seconds since the epoch. */
  expiresAt: number;
  /** The time checks pass from this instant on (nbf and iat, less the tolerance). */
  validFrom: number;
  /** ... and fail from this one on (exp plus the tolerance). */
  validUntil: number;
  /** When the entry is dropped regardless (ms since the epoch, by the injected clock). */
  cachedUntilMs: number;
}

/**
 * Verifies bearer tokens and turns their claims into an Actor. The accepted algorithms come from
 * the configuration alone, never from the token, so neither `alg: none` nor an HS256 token
 * "signed" with a configured public key can get through.
 *
 * A token that passed every check is remembered (by its SHA-256, never the token itself) for a
 * short while, so a busy caller's token is not parsed and its signature checked on every request.
 * The remembered answer is only what verifying again would give: the keys, algorithms, issuer,
 * audience and tolerance are fixed for the verifier's life (the configuration is read once at
 * start-up), and the token's own time window (exp, nbf, iat with the tolerance) is checked on
 * every use against the injected clock. Refused tokens are never remembered.
 */
export class TokenVerifier {
  private readonly jwt: JwtService;
  private readonly verified = new Map<string, VerifiedToken>();
  private readonly cacheOptions: VerifiedTokenCacheOptions;

  constructor(
    private readonly config: AuthConfig,
    private readonly clock: Clock = systemClock,
    cacheOptions: Partial<VerifiedTokenCacheOptions> = {},
  ) {
    this.jwt = new JwtService(config.key.kind === 'secret' ? { secret: config.key.key } : { publicKey: config.key.key });
    this.cacheOptions = { ttlMs: VERIFIED_TOKEN_TTL_MS, maxEntries: VERIFIED_TOKEN_CACHE_SIZE, ...cacheOptions };
  }

  /** Tokens remembered right now (for tests and monitoring). */
  get cachedTokens(): number {
    return this.verified.size;
  }

  /** Returns the actor the token speaks for; throws InvalidTokenError for any flaw. */
  verify(token: string): Actor {
    return this.verifyToken(token).actor;
  }

  /** The actor and the token's expiry (ms since the epoch); throws InvalidTokenError for any flaw. */
  verifyToken(token: string): { actor: Actor; expiresAtMs: number } {
    const { actor, expiresAt } = this.verifiedEntry(token);
    return { actor, expiresAtMs: expiresAt * 1000 };
  }

  private verifiedEntry(token: string): Omit<VerifiedToken, 'cachedUntilMs'> {
    // Over-long tokens are refused by parse() before any work; they are never remembered either.
    if (token.length > MAX_TOKEN_LENGTH || this.cacheOptions.maxEntries <= 0) return this.verifyFully(token);
    const nowMs = Date.parse(this.clock.now());
    const now = nowMs / 1000;
    const key = sha256(token, 'base64');
    const hit = this.verified.get(key);
    if (hit !== undefined) {
      this.verified.delete(key);
      if (nowMs < hit.cachedUntilMs && now >= hit.validFrom && now < hit.validUntil) {
        // Most recently used goes last; the first in the map is the next to be evicted.
        this.verified.set(key, hit);
        return hit;
      }
    }
    const result = this.verifyFully(token);
    this.verified.set(key, { ...result, cachedUntilMs: nowMs + this.cacheOptions.ttlMs });
    while (this.verified.size > this.cacheOptions.maxEntries) {
      const oldest = this.verified.keys().next().value as string;
      this.verified.delete(oldest);
    }
    return result;
  }

  private verifyFully(token: string): Omit<VerifiedToken, 'cachedUntilMs'> {
    const { header, payload, signingInput, signature } = parse(token);
    const algorithm = this.acceptedAlgorithm(header);
    if (header.crit !== undefined) {
      // RFC 7515 §4.1.11: extensions the recipient does not understand make the token invalid.
      throw new InvalidTokenError('malformed', 'token uses critical header extensions, which are not supported');
    }
    if (signature === '') throw new InvalidTokenError('bad_signature', 'token is not signed');
    this.checkSignature(token, algorithm, signingInput, signature);

    const window = this.checkTimes(payload);
    this.checkIssuerAndAudience(payload);
    const result = actorFromClaims(payload);
    if (!result.ok) throw new InvalidTokenError('invalid_claims', result.problems.join('; '));
    return { actor: result.actor, ...window };
  }

  private acceptedAlgorithm(header: Record<string, unknown>): JwtAlgorithm {
    const alg = header.alg;
    const accepted: readonly JwtAlgorithm[] = this.config.key.algorithms;
    const match = accepted.find((name) => name === alg);
    if (match === undefined) {
      const shown = typeof alg === 'string' ? JSON.stringify(alg.slice(0, 16)) : 'missing';
      throw new InvalidTokenError('unsupported_algorithm', `algorithm ${shown} is not accepted (accepted: ${accepted.join(', ')})`);
    }
    return match;
  }

  private checkSignature(token: string, algorithm: JwtAlgorithm, signingInput: string, signature: string): void {
    let valid: boolean;
    if (algorithm === 'EdDSA') {
      // jsonwebtoken has no EdDSA; Node's crypto verifies Ed25519/Ed448 signatures directly.
      try {
        const data = Buffer.from(signingInput, 'ascii');
        valid = verifyWithKey(null, data, this.config.key.key, Buffer.from(signature, 'base64url'));
      } catch {
        valid = false;
      }
    } else {
      // Times, issuer and audience are checked below, uniformly for every algorithm and with the injected clock.
      try {
        this.jwt.verify(token, { algorithms: [algorithm], ignoreExpiration: true, ignoreNotBefore: true });
        valid = true;
      } catch {
        valid = false;
      }
    }
    if (!valid) throw new InvalidTokenError('bad_signature', 'bad signature');
  }

  /** Throws unless the token is valid now; returns the window in which these checks pass. */
  private checkTimes(payload: Record<string, unknown>): { validFrom: number; validUntil: number; expiresAt: number } {
    const now = Date.parse(this.clock.now()) / 1000;
    const tolerance = this.config.clockToleranceSeconds;
    const exp = numericDate(payload, 'exp');
    if (exp === undefined) throw new InvalidTokenError('invalid_claims', 'missing claim "exp"');
    if (now >= exp + tolerance) throw new InvalidTokenError('expired', 'token has expired');
    const nbf = numericDate(payload, 'nbf');
    if (nbf !== undefined && nbf > now + tolerance) throw new InvalidTokenError('not_yet_valid', 'token is not yet valid');
    const iat = numericDate(payload, 'iat');
    if (iat !== undefined && iat > now + tolerance) {
      throw new InvalidTokenError('not_yet_valid', 'token was issued in the future (check the clocks)');
    }
    return {
      validFrom: Math.max(nbf ?? -Infinity, iat ?? -Infinity) - tolerance,
      validUntil: exp + tolerance,
      expiresAt: exp,
    };
  }

  private checkIssuerAndAudience(payload: Record<string, unknown>): void {
    const { issuer, audience } = this.config;
    if (payload.iss === undefined) throw new InvalidTokenError('invalid_claims', 'missing claim "iss"');
    if (payload.iss !== issuer) {
      throw new InvalidTokenError('wrong_issuer', `token issuer is not accepted (expected "${issuer}")`);
    }
    if (payload.aud === undefined) throw new InvalidTokenError('invalid_claims', 'missing claim "aud"');
    const audiences: unknown[] = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(audience)) {
      throw new InvalidTokenError('wrong_audience', `token audience is not accepted (expected "${audience}")`);
    }
  }
}

function numericDate(payload: Record<string, unknown>, claim: string): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidTokenError('invalid_claims', `claim "${claim}" must be a number of seconds since the epoch`);
  }
  return value;
}

function parse(token: string): ParsedToken {
  const malformed = (detail: string): InvalidTokenError => new InvalidTokenError('malformed', `malformed token: ${detail}`);
  if (token.length > MAX_TOKEN_LENGTH) throw malformed(`longer than ${MAX_TOKEN_LENGTH} characters`);
  const parts = token.split('.');
  if (parts.length !== 3) throw malformed('expected three dot-separated parts');
  const [encodedHeader, encodedPayload, signature] = parts;
  if (!SEGMENT.test(encodedHeader) || !SEGMENT.test(encodedPayload) || !SIGNATURE_SEGMENT.test(signature)) {
    throw malformed('parts must be base64url-encoded');
  }
  return {
    header: decodeJsonObject(encodedHeader, 'header', malformed),
    payload: decodeJsonObject(encodedPayload, 'payload', malformed),
    signingInput: `${encodedHeader}.${encodedPayload}`,
    signature,
  };
}

function decodeJsonObject(segment: string, what: string, malformed: (detail: string) => InvalidTokenError): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw malformed(`${what} is not JSON`);
  }
  if (!isRecord(value)) throw malformed(`${what} is not a JSON object`);
  return value;
}
