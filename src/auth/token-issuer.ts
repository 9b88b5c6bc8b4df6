import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '../shared/actor';
import { Clock, systemClock } from '../shared/clock';
import { actorFromClaims, claimsFromActor } from './actor-claims';
import type { AuthConfig } from './auth-config';

/** Long enough for a polling-day shift plus counting; short enough that a lost token soon dies. */
export const DEFAULT_TOKEN_TTL_SECONDS = 8 * 60 * 60;
export const MAX_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

export interface TokenRequest extends Actor {
  ttlSeconds: number;
}

/** The request itself is unusable (bad claims, bad lifetime); the messages are safe to print. */
export class TokenRequestError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`cannot issue the token: ${problems.join('; ')}`);
    this.name = 'TokenRequestError';
  }
}

/** This deployment verifies an identity provider's tokens and holds no key to sign with. */
export class IssuingDisabledError extends Error {
  constructor() {
    super(
      'tokens cannot be issued here: a public key is configured (JWT_PUBLIC_KEY / JWT_PUBLIC_KEY_FILE), ' +
        'so tokens must come from the identity provider',
    );
    this.name = 'IssuingDisabledError';
  }
}

/** Signs HS256 tokens for local use (development, small deployments, the CLI). */
export class TokenIssuer {
  private readonly jwt: JwtService | undefined;

  constructor(
    private readonly config: AuthConfig,
    private readonly clock: Clock = systemClock,
  ) {
    this.jwt = config.key.kind === 'secret' ? new JwtService({ secret: config.key.key }) : undefined;
  }

  issue(request: TokenRequest): string {
    if (this.jwt === undefined) throw new IssuingDisabledError();
    const { ttlSeconds, ...actor } = request;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
      throw new TokenRequestError([`ttlSeconds must be an integer from 1 to ${MAX_TOKEN_TTL_SECONDS} (30 days)`]);
    }
    // Validated exactly as the verifier will, since callers may be plain JavaScript or the CLI.
    const checked = actorFromClaims({ ...actor });
    if (!checked.ok) throw new TokenRequestError(checked.problems);

    const iat = Math.floor(Date.parse(this.clock.now()) / 1000);
    const payload = {
      ...claimsFromActor(checked.actor),
      iss: this.config.issuer,
      aud: this.config.audience,
      iat,
      exp: iat + ttlSeconds,
      jti: randomUUID(),
    };
    return this.jwt.sign(payload, { algorithm: 'HS256' });
  }
}
