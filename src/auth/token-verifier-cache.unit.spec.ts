import { FixedClock } from '../shared/clock';
import { TEST_ACTOR, TEST_JWT_SECRET, TestSigner, signJwt, testAuthConfig, testClaims } from './auth.test-support';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const NOW = '2024-04-19T05:30:00.000Z';
const NOW_SECONDS = Date.parse(NOW) / 1000;
const HS256: TestSigner = { alg: 'HS256', secret: TEST_JWT_SECRET };
const TOLERANCE = 30;

/** How often the verifier checked a signature: a remembered token is not checked again. */
function signatureChecks(verifier: TokenVerifier): jest.SpyInstance {
  return jest.spyOn(verifier as unknown as { checkSignature: (...args: unknown[]) => void }, 'checkSignature');
}

function codeOf(verifier: TokenVerifier, token: string): string {
  try {
    verifier.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.code;
    throw error;
  }
  return 'accepted';
}

describe('TokenVerifier: verified-token cache', () => {
  let clock: FixedClock;
  let verifier: TokenVerifier;
  const sign = (overrides: Record<string, unknown> = {}, signer: TestSigner = HS256): string => signJwt(testClaims(NOW, overrides), signer);

  beforeEach(() => {
    clock = new FixedClock(NOW);
    verifier = new TokenVerifier(testAuthConfig({ clockToleranceSeconds: TOLERANCE }), clock, { ttlMs: 60_000, maxEntries: 3 });
  });

  it('checks a token once and then answers from memory with the same frozen actor', () => {
    const checks = signatureChecks(verifier);
    const token = sign();

    const first = verifier.verify(token);
    const again = verifier.verify(token);

    expect(checks).toHaveBeenCalledTimes(1);
    expect(again).toBe(first);
    expect(again).toEqual(TEST_ACTOR);
    expect(Object.isFrozen(again)).toBe(true);
  });

  it('checks the token again once the cache time is up', () => {
    const checks = signatureChecks(verifier);
    const token = sign();
    verifier.verify(token);

    clock.advance(59_999);
    verifier.verify(token);
    expect(checks).toHaveBeenCalledTimes(1);

    clock.advance(1);
    verifier.verify(token);
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('refuses a remembered token as expired exactly when verifying afresh would', () => {
    const token = sign({ exp: NOW_SECONDS + 10 });
    verifier.verify(token);

    clock.set(new Date((NOW_SECONDS + 10 + TOLERANCE) * 1000 - 1).toISOString());
    expect(codeOf(verifier, token)).toBe('accepted');
    clock.advance(1);
    expect(codeOf(verifier, token)).toBe('expired');
    expect(codeOf(new TokenVerifier(testAuthConfig({ clockToleranceSeconds: TOLERANCE }), clock), token)).toBe('expired');
  });

  it('refuses a remembered token as not yet valid if the clock goes back before nbf or iat', () => {
    const token = sign({ nbf: NOW_SECONDS - 5, iat: NOW_SECONDS - 10 });
    verifier.verify(token);

    clock.set(new Date((NOW_SECONDS - 5 - TOLERANCE) * 1000).toISOString());
    expect(codeOf(verifier, token)).toBe('accepted');
    clock.advance(-1);
    expect(codeOf(verifier, token)).toBe('not_yet_valid');
  });

  it('never remembers a refused token: a bad signature is checked, and refused, every time', () => {
    const checks = signatureChecks(verifier);
    const forged = sign({}, { alg: 'HS256', secret: 'another-secret-that-is-at-least-32-bytes!' });

    expect(codeOf(verifier, forged)).toBe('bad_signature');
    expect(codeOf(verifier, forged)).toBe('bad_signature');
    expect(checks).toHaveBeenCalledTimes(2);
    expect(verifier.cachedTokens).toBe(0);
  });

  it('never remembers a token refused for its times or claims, even once it would pass', () => {
    const early = sign({ nbf: NOW_SECONDS + 600 });
    expect(codeOf(verifier, early)).toBe('not_yet_valid');
    expect(codeOf(verifier, sign({ roles: ['wizard'] }))).toBe('invalid_claims');
    expect(verifier.cachedTokens).toBe(0);

    clock.advance(600_000);
    expect(codeOf(verifier, early)).toBe('accepted');
  });

  it('does not let a token verified by one key pass a verifier with another', () => {
    const token = sign();
    verifier.verify(token);

    const rotated = new TokenVerifier(testAuthConfig({ audience: 'another-audience' }), clock);
    expect(codeOf(rotated, token)).toBe('wrong_audience');
  });

  it('keeps at most maxEntries tokens, forgetting the least recently used', () => {
    const checks = signatureChecks(verifier);
    const tokens = ['u-1', 'u-2', 'u-3', 'u-4'].map((sub) => sign({ sub }));
    tokens.slice(0, 3).forEach((t) => verifier.verify(t));
    verifier.verify(tokens[0]); // used again: u-2 is now the oldest
    verifier.verify(tokens[3]);

    expect(verifier.cachedTokens).toBe(3);
    expect(checks).toHaveBeenCalledTimes(4);
    verifier.verify(tokens[0]);
    expect(checks).toHaveBeenCalledTimes(4);
    verifier.verify(tokens[1]);
    expect(checks).toHaveBeenCalledTimes(5);
  });

  it('verifies every time when the cache is turned off', () => {
    const uncached = new TokenVerifier(testAuthConfig(), clock, { maxEntries: 0 });
    const checks = signatureChecks(uncached);
    const token = sign();
    uncached.verify(token);
    uncached.verify(token);

    expect(checks).toHaveBeenCalledTimes(2);
  });
});
