import { KeyObject, constants, createHmac, sign } from 'node:crypto';
import type { Actor } from '../shared/actor';
import { Clock, systemClock } from '../shared/clock';
import { AuthConfig, DEFAULT_JWT_AUDIENCE, DEFAULT_JWT_ISSUER, secretAuthConfig } from './auth-config';
import { TokenIssuer, TokenRequest } from './token-issuer';

/** Helpers for tests that need tokens. Excluded from the build (see tsconfig.build.json). */

export const TEST_JWT_SECRET = 'test-only-secret-of-the-seizure-custody-ledger-0123456789';

export const TEST_ACTOR: Readonly<Actor> = Object.freeze<Actor>({
  sub: 'u-17',
  name: 'Asha Verma',
  roles: ['officer', 'custodian'],
  unit: 'FS-VNS-03',
  agency: 'flying_squad',
  scope: { national: false, states: ['UP'], districts: ['UP-VNS'] },
});

/** An HS256 configuration with TEST_JWT_SECRET and the default issuer and audience. */
export function testAuthConfig(options: Partial<Pick<AuthConfig, 'issuer' | 'audience' | 'clockToleranceSeconds'>> = {}): AuthConfig {
  return secretAuthConfig(TEST_JWT_SECRET, options);
}

/** A valid token for TEST_ACTOR (or the given changes), as the ledger itself would issue it. */
export function testToken(overrides: Partial<TokenRequest> = {}, options: { config?: AuthConfig; clock?: Clock } = {}): string {
  const issuer = new TokenIssuer(options.config ?? testAuthConfig(), options.clock ?? systemClock);
  return issuer.issue({ ...TEST_ACTOR, ttlSeconds: 3600, ...overrides });
}

/** Valid claims for TEST_ACTOR at the given instant; tests break them one at a time. */
export function testClaims(nowIso: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(Date.parse(nowIso) / 1000);
  return {
    sub: TEST_ACTOR.sub,
    name: TEST_ACTOR.name,
    roles: [...TEST_ACTOR.roles],
    unit: TEST_ACTOR.unit,
    agency: TEST_ACTOR.agency,
    scope: { states: ['UP'], districts: ['UP-VNS'] },
    iss: DEFAULT_JWT_ISSUER,
    aud: DEFAULT_JWT_AUDIENCE,
    iat,
    exp: iat + 3600,
    ...overrides,
  };
}

export type TestSigner =
  { alg: 'none' } | { alg: 'HS256'; secret: string | Buffer } | { alg: 'RS256' | 'PS256' | 'ES256' | 'EdDSA'; privateKey: KeyObject };

/**
 * Signs any header and payload with Node's crypto alone, independent of the code under test,
 * to build tokens the issuer would refuse to make (forged, unsigned, malformed claims).
 */
export function signJwt(payload: Record<string, unknown>, signer: TestSigner, header: Record<string, unknown> = {}): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: signer.alg, typ: 'JWT', ...header })}.${encode(payload)}`;
  return `${input}.${signature(input, signer)}`;
}

function signature(input: string, signer: TestSigner): string {
  const data = Buffer.from(input);
  switch (signer.alg) {
    case 'none':
      return '';
    case 'HS256':
      return createHmac('sha256', signer.secret).update(data).digest('base64url');
    case 'RS256':
      return sign('sha256', data, signer.privateKey).toString('base64url');
    case 'PS256':
      return sign('sha256', data, { key: signer.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString(
        'base64url',
      );
    case 'ES256':
      return sign('sha256', data, { key: signer.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    case 'EdDSA':
      return sign(null, data, signer.privateKey).toString('base64url');
  }
}
