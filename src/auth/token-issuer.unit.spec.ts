import { generateKeyPairSync } from 'node:crypto';
import type { Actor, Role } from '../shared/actor';
import { FixedClock } from '../shared/clock';
import { loadAuthConfig } from './auth-config';
import { TEST_ACTOR, testAuthConfig } from './auth.test-support';
import { IssuingDisabledError, MAX_TOKEN_TTL_SECONDS, TokenIssuer, TokenRequestError } from './token-issuer';
import { TokenVerifier } from './token-verifier';

const NOW = '2024-04-19T05:30:00.000Z';
const NOW_SECONDS = Date.parse(NOW) / 1000;

function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8')) as Record<string, unknown>;
}

function requestError(issue: () => string): TokenRequestError {
  try {
    issue();
  } catch (error) {
    if (error instanceof TokenRequestError) return error;
    throw error;
  }
  throw new Error('expected a TokenRequestError');
}

describe('TokenIssuer', () => {
  const config = testAuthConfig();
  let clock: FixedClock;
  let issuer: TokenIssuer;

  beforeEach(() => {
    clock = new FixedClock(NOW);
    issuer = new TokenIssuer(config, clock);
  });

  it('signs an HS256 JWT with the actor claims, issuer, audience, iat, exp and jti', () => {
    const token = issuer.issue({ ...TEST_ACTOR, ttlSeconds: 8 * 3600 });

    expect(decodePart(token, 0)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodePart(token, 1)).toEqual({
      sub: 'u-17',
      name: 'Asha Verma',
      roles: ['officer', 'custodian'],
      unit: 'FS-VNS-03',
      agency: 'flying_squad',
      scope: { states: ['UP'], districts: ['UP-VNS'] },
      iss: 'seizure-custody-ledger',
      aud: 'seizure-custody-ledger',
      iat: NOW_SECONDS,
      exp: NOW_SECONDS + 8 * 3600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('issues tokens the verifier accepts, for the same actor', () => {
    const national: Actor = { ...TEST_ACTOR, roles: ['auditor'], scope: { national: true } };

    expect(new TokenVerifier(config, clock).verify(issuer.issue({ ...TEST_ACTOR, ttlSeconds: 60 }))).toEqual(TEST_ACTOR);
    expect(new TokenVerifier(config, clock).verify(issuer.issue({ ...national, ttlSeconds: 60 }))).toEqual(national);
  });

  it('uses the configured issuer and audience', () => {
    const custom = new TokenIssuer(testAuthConfig({ issuer: 'district-ledger', audience: 'ledger-api' }), clock);

    expect(decodePart(custom.issue({ ...TEST_ACTOR, ttlSeconds: 60 }), 1)).toMatchObject({ iss: 'district-ledger', aud: 'ledger-api' });
  });

  it('gives every token its own jti', () => {
    const first = decodePart(issuer.issue({ ...TEST_ACTOR, ttlSeconds: 60 }), 1);
    const second = decodePart(issuer.issue({ ...TEST_ACTOR, ttlSeconds: 60 }), 1);

    expect(first.jti).not.toEqual(second.jti);
  });

  it.each([0, -5, 1.5, MAX_TOKEN_TTL_SECONDS + 1, Number.NaN])('refuses ttlSeconds %p', (ttlSeconds) => {
    expect(requestError(() => issuer.issue({ ...TEST_ACTOR, ttlSeconds })).problems).toEqual([
      expect.stringMatching(/ttlSeconds must be an integer from 1 to 2592000/),
    ]);
  });

  it('refuses claims the verifier would refuse, listing each problem', () => {
    const error = requestError(() =>
      issuer.issue({
        ...TEST_ACTOR,
        sub: '',
        roles: ['officer', 'overlord' as Role],
        scope: { national: false, states: [], districts: [] },
        ttlSeconds: 60,
      }),
    );

    expect(error.problems).toEqual([
      expect.stringMatching(/claim "sub" must be a non-empty string/),
      'unknown role "overlord"',
      expect.stringMatching(/at least one state or district/),
    ]);
  });

  it('refuses to issue when a public key is configured: tokens then come from the identity provider', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const idpConfig = loadAuthConfig({ JWT_PUBLIC_KEY: pem }, '/nonexistent-never-written', () => undefined);

    expect(() => new TokenIssuer(idpConfig, clock).issue({ ...TEST_ACTOR, ttlSeconds: 60 })).toThrow(IssuingDisabledError);
  });
});
