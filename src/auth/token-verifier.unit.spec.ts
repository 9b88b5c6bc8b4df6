import { generateKeyPairSync } from 'node:crypto';
import { FixedClock } from '../shared/clock';
import { AuthConfig, loadAuthConfig } from './auth-config';
import { TEST_ACTOR, TEST_JWT_SECRET, TestSigner, signJwt, testAuthConfig, testClaims, testToken } from './auth.test-support';
import { InvalidTokenCode, InvalidTokenError, MAX_TOKEN_LENGTH, TokenVerifier } from './token-verifier';

const NOW = '2024-04-19T05:30:00.000Z';
const NOW_SECONDS = Date.parse(NOW) / 1000;
const HS256: TestSigner = { alg: 'HS256', secret: TEST_JWT_SECRET };

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed25519 = generateKeyPairSync('ed25519');
const pemOf = (key: { export(o: { type: 'spki'; format: 'pem' }): string | Buffer }): string =>
  key.export({ type: 'spki', format: 'pem' }).toString();

function publicKeyConfig(pem: string, algorithms?: string): AuthConfig {
  const env: NodeJS.ProcessEnv = { JWT_PUBLIC_KEY: pem, ...(algorithms && { JWT_ALGORITHMS: algorithms }) };
  return loadAuthConfig(env, '/nonexistent-never-written', () => undefined);
}

/** The error verify() throws for a token; fails the test when the token is accepted. */
function refusal(verifier: TokenVerifier, token: string): InvalidTokenError {
  try {
    verifier.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) return error;
    throw error;
  }
  throw new Error('expected the token to be refused');
}

function expectRefused(verifier: TokenVerifier, token: string, code: InvalidTokenCode, reason?: RegExp): void {
  const error = refusal(verifier, token);
  expect(error.code).toBe(code);
  if (reason) expect(error.reason).toMatch(reason);
}

describe('TokenVerifier', () => {
  let clock: FixedClock;
  let verifier: TokenVerifier;

  beforeEach(() => {
    clock = new FixedClock(NOW);
    verifier = new TokenVerifier(testAuthConfig(), clock);
  });

  const sign = (overrides: Record<string, unknown> = {}, signer: TestSigner = HS256, header: Record<string, unknown> = {}): string =>
    signJwt(testClaims(NOW, overrides), signer, header);

  describe('valid tokens', () => {
    it('maps the claims of a token from the issuer to the actor', () => {
      expect(verifier.verify(testToken({}, { clock }))).toEqual(TEST_ACTOR);
    });

    it('accepts a token signed independently of the issuer', () => {
      expect(verifier.verify(sign())).toEqual(TEST_ACTOR);
    });

    it('returns a frozen actor, so no handler can rewrite who acted', () => {
      const actor = verifier.verify(sign());

      expect(Object.isFrozen(actor)).toBe(true);
      expect(Object.isFrozen(actor.roles)).toBe(true);
      expect(Object.isFrozen(actor.scope)).toBe(true);
    });

    it('maps a national scope', () => {
      expect(verifier.verify(sign({ scope: { national: true } })).scope).toEqual({ national: true });
    });

    it('accepts a scope of districts only, or with national: false, and removes duplicates', () => {
      expect(verifier.verify(sign({ scope: { districts: ['UP-VNS', 'UP-VNS'] } })).scope).toEqual({
        national: false,
        states: [],
        districts: ['UP-VNS'],
      });
      expect(verifier.verify(sign({ scope: { national: false, states: ['MH'] } })).scope).toEqual({
        national: false,
        states: ['MH'],
        districts: [],
      });
    });

    it('accepts an audience array that contains the configured audience', () => {
      expect(verifier.verify(sign({ aud: ['account', 'seizure-custody-ledger'] })).sub).toBe('u-17');
    });

    it('ignores claims it does not know, as identity providers add many', () => {
      expect(verifier.verify(sign({ email: 'asha@example.in', azp: 'ledger-ui', jti: 'abc' }))).toEqual(TEST_ACTOR);
    });
  });

  describe('times', () => {
    it('refuses an expired token', () => {
      expectRefused(verifier, sign({ exp: NOW_SECONDS - 31 }), 'expired', /^token has expired$/);
    });

    it('accepts a token expired by less than the clock tolerance', () => {
      expect(verifier.verify(sign({ exp: NOW_SECONDS - 29 })).sub).toBe('u-17');
    });

    it('refuses a token once the clock passes its expiry', () => {
      const token = testToken({ ttlSeconds: 60 }, { clock });
      expect(verifier.verify(token).sub).toBe('u-17');

      clock.advance((60 + 30) * 1000);

      expectRefused(verifier, token, 'expired');
    });

    it('refuses a token without exp', () => {
      expectRefused(verifier, sign({ exp: undefined }), 'invalid_claims', /missing claim "exp"/);
    });

    it('refuses a non-numeric exp', () => {
      expectRefused(verifier, sign({ exp: '2099-01-01' }), 'invalid_claims', /"exp" must be a number/);
    });

    it('refuses a token that is not yet valid (nbf)', () => {
      expectRefused(verifier, sign({ nbf: NOW_SECONDS + 60 }), 'not_yet_valid', /not yet valid/);
      expect(verifier.verify(sign({ nbf: NOW_SECONDS + 20 })).sub).toBe('u-17');
    });

    it('refuses a token issued in the future (iat)', () => {
      expectRefused(verifier, sign({ iat: NOW_SECONDS + 600, exp: NOW_SECONDS + 4200 }), 'not_yet_valid', /issued in the future/);
    });
  });

  describe('issuer and audience', () => {
    it('refuses a wrong issuer', () => {
      expectRefused(verifier, sign({ iss: 'https://elsewhere.example' }), 'wrong_issuer', /expected "seizure-custody-ledger"/);
    });

    it('refuses a missing issuer', () => {
      expectRefused(verifier, sign({ iss: undefined }), 'invalid_claims', /missing claim "iss"/);
    });

    it('refuses a wrong audience', () => {
      expectRefused(verifier, sign({ aud: 'another-api' }), 'wrong_audience');
      expectRefused(verifier, sign({ aud: ['another-api'] }), 'wrong_audience');
    });

    it('refuses a missing audience', () => {
      expectRefused(verifier, sign({ aud: undefined }), 'invalid_claims', /missing claim "aud"/);
    });

    it('checks the configured issuer and audience, not the defaults', () => {
      const custom = new TokenVerifier(testAuthConfig({ issuer: 'https://idp.example', audience: 'ledger' }), clock);

      expect(custom.verify(sign({ iss: 'https://idp.example', aud: 'ledger' })).sub).toBe('u-17');
      expectRefused(custom, sign(), 'wrong_issuer');
    });
  });

  describe('signatures and algorithms', () => {
    it('refuses a token signed with another secret', () => {
      const otherSecret: TestSigner = { alg: 'HS256', secret: 'another-secret-that-is-at-least-32-bytes!' };

      expectRefused(verifier, sign({}, otherSecret), 'bad_signature', /^bad signature$/);
    });

    it('refuses a token whose payload was changed after signing', () => {
      const [header, , signature] = sign().split('.');
      const forged = Buffer.from(JSON.stringify(testClaims(NOW, { roles: ['treasury'] }))).toString('base64url');

      expectRefused(verifier, `${header}.${forged}.${signature}`, 'bad_signature');
    });

    it('refuses alg "none", signed or not', () => {
      expectRefused(verifier, sign({}, { alg: 'none' }), 'unsupported_algorithm', /algorithm "none" is not accepted/);
      const [, payload, signature] = sign().split('.');
      const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      expectRefused(verifier, `${none}.${payload}.${signature}`, 'unsupported_algorithm');
    });

    it('refuses a header without alg and algorithms other than the configured one', () => {
      expectRefused(verifier, sign({}, HS256, { alg: undefined }), 'unsupported_algorithm', /algorithm missing/);
      expectRefused(verifier, sign({}, HS256, { alg: 'HS512' }), 'unsupported_algorithm', /accepted: HS256/);
    });

    it('refuses a token with critical header extensions', () => {
      expectRefused(verifier, sign({}, HS256, { crit: ['b64'], b64: false }), 'malformed', /critical header/);
    });

    describe('with an RSA public key configured', () => {
      const pem = pemOf(rsa.publicKey);
      let rsaVerifier: TokenVerifier;

      beforeEach(() => {
        rsaVerifier = new TokenVerifier(publicKeyConfig(pem), clock);
      });

      it('accepts an RS256 token signed with the private key', () => {
        expect(rsaVerifier.verify(sign({}, { alg: 'RS256', privateKey: rsa.privateKey }))).toEqual(TEST_ACTOR);
      });

      it('refuses an RS256 token signed with another key', () => {
        const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

        expectRefused(rsaVerifier, sign({}, { alg: 'RS256', privateKey: other.privateKey }), 'bad_signature');
      });

      it('refuses an HS256 token "signed" with the public key as the HMAC secret (algorithm confusion)', () => {
        const spkiDer = rsa.publicKey.export({ type: 'spki', format: 'der' });

        expectRefused(rsaVerifier, sign({}, { alg: 'HS256', secret: pem }), 'unsupported_algorithm', /"HS256" is not accepted/);
        expectRefused(rsaVerifier, sign({}, { alg: 'HS256', secret: spkiDer }), 'unsupported_algorithm');
      });

      it('refuses PS256 unless JWT_ALGORITHMS allows it', () => {
        const token = sign({}, { alg: 'PS256', privateKey: rsa.privateKey });

        expectRefused(rsaVerifier, token, 'unsupported_algorithm');
        expect(new TokenVerifier(publicKeyConfig(pem, 'RS256,PS256'), clock).verify(token)).toEqual(TEST_ACTOR);
      });

      it('refuses an HS256 token from the ledger itself', () => {
        expectRefused(rsaVerifier, testToken({}, { clock }), 'unsupported_algorithm');
      });
    });

    it('accepts ES256 tokens with a P-256 key and refuses RS256 ones', () => {
      const ecVerifier = new TokenVerifier(publicKeyConfig(pemOf(p256.publicKey)), clock);

      expect(ecVerifier.verify(sign({}, { alg: 'ES256', privateKey: p256.privateKey }))).toEqual(TEST_ACTOR);
      expectRefused(ecVerifier, sign({}, { alg: 'RS256', privateKey: rsa.privateKey }), 'unsupported_algorithm');
    });

    it('accepts EdDSA tokens with an Ed25519 key and refuses forged ones', () => {
      const edVerifier = new TokenVerifier(publicKeyConfig(pemOf(ed25519.publicKey)), clock);
      const other = generateKeyPairSync('ed25519');

      expect(edVerifier.verify(sign({}, { alg: 'EdDSA', privateKey: ed25519.privateKey }))).toEqual(TEST_ACTOR);
      expectRefused(edVerifier, sign({}, { alg: 'EdDSA', privateKey: other.privateKey }), 'bad_signature');
      const [header, payload] = sign({}, { alg: 'EdDSA', privateKey: ed25519.privateKey }).split('.');
      expectRefused(edVerifier, `${header}.${payload}.AAAA`, 'bad_signature');
      expectRefused(edVerifier, `${header}.${payload}.`, 'bad_signature', /not signed/);
    });
  });

  describe('malformed tokens', () => {
    const encode = (value: string): string => Buffer.from(value).toString('base64url');

    it.each([
      ['an empty string', ''],
      ['one part', 'abc'],
      ['two parts', 'abc.def'],
      ['four parts', 'a.b.c.d'],
      ['non-base64url characters', 'ab$c.def.ghi'],
      ['padding', `${encode('{"alg":"HS256"}')}=.e30.abc`],
      ['a header that is not JSON', `${encode('not json')}.e30.abc`],
      ['a header that is a JSON array', `${encode('["HS256"]')}.e30.abc`],
      ['a payload that is not an object', `${encode('{"alg":"HS256"}')}.${encode('"text"')}.abc`],
    ])('refuses %s', (_case, token) => {
      expectRefused(verifier, token, 'malformed', /^malformed token: /);
    });

    it('refuses an oversized token before decoding it', () => {
      expectRefused(verifier, `${'a'.repeat(MAX_TOKEN_LENGTH)}.b.c`, 'malformed', /longer than/);
    });
  });

  describe('actor claims', () => {
    it.each([
      ['missing sub', { sub: undefined }, /missing claim "sub"/],
      ['empty sub', { sub: '' }, /claim "sub" must be a non-empty string of at most 128/],
      ['numeric sub', { sub: 17 }, /claim "sub" must be/],
      ['sub with surrounding spaces', { sub: ' u-17' }, /claim "sub" must be/],
      ['sub over 128 characters', { sub: 'u'.repeat(129) }, /claim "sub"/],
      ['name over 200 characters', { name: 'A'.repeat(201) }, /claim "name" must be .* at most 200/],
      ['missing name', { name: undefined }, /missing claim "name"/],
      ['a name with a line break', { name: 'Asha\nRole: admin' }, /claim "name" must be .* without control characters/],
      ['missing roles', { roles: undefined }, /missing claim "roles"/],
      ['empty roles', { roles: [] }, /claim "roles" must be a non-empty array/],
      ['roles as a string', { roles: 'officer' }, /claim "roles" must be a non-empty array/],
      ['an unknown role', { roles: ['officer', 'superuser'] }, /unknown role "superuser"/],
      ['missing unit', { unit: undefined }, /missing claim "unit"/],
      ['unit over 64 characters', { unit: 'U'.repeat(65) }, /claim "unit" must be .* at most 64/],
      ['missing agency', { agency: undefined }, /missing claim "agency"/],
      ['an unknown agency', { agency: 'cia' }, /unknown agency "cia"/],
      ['missing scope', { scope: undefined }, /missing claim "scope"/],
      ['an OAuth scope string', { scope: 'openid profile' }, /claim "scope" must be an object/],
      ['an empty scope', { scope: {} }, /must be \{"national": true\} or list at least one state or district/],
      ['a scope with empty lists', { scope: { states: [], districts: [] } }, /at least one state or district/],
      ['a lower-case code', { scope: { states: ['up'] } }, /invalid code "up"/],
      ['a code with spaces', { scope: { districts: ['UP VNS'] } }, /invalid code "UP VNS"/],
      ['a non-string code', { scope: { states: [7] } }, /invalid code 7/],
      ['states that are not an array', { scope: { states: 'UP' } }, /"scope.states" must be an array/],
      ['national with states', { scope: { national: true, states: ['UP'] } }, /must not list states or districts/],
      ['a non-boolean national', { scope: { national: 'yes', states: ['UP'] } }, /"scope.national" must be a boolean/],
      ['unknown scope keys', { scope: { states: ['UP'], blocks: ['B1'] } }, /unknown keys: "blocks"/],
    ])('refuses %s', (_case, overrides, reason) => {
      expectRefused(verifier, sign(overrides), 'invalid_claims', reason);
    });

    it('lists every claim problem at once', () => {
      const error = refusal(verifier, sign({ sub: undefined, roles: ['wizard'], agency: 'cia' }));

      expect(error.reason).toBe('missing claim "sub"; unknown role "wizard"; unknown agency "cia"');
    });

    it('reports a bad signature, not the claims, when both are wrong', () => {
      const forged = sign({ roles: ['wizard'] }, { alg: 'HS256', secret: 'another-secret-that-is-at-least-32-bytes!' });

      expect(refusal(verifier, forged).reason).toBe('bad signature');
    });

    it('quotes only the first of many bad entries', () => {
      const error = refusal(verifier, sign({ roles: ['a', 'b', 'c'], scope: { states: ['x', 'y'] } }));

      expect(error.reason).toBe(
        'unknown role "a" (and 2 more); ' + 'claim "scope.states" has an invalid code "x" (and 1 more) (expected e.g. "UP" or "UP-VNS")',
      );
    });

    it('cuts long claim values short in reasons', () => {
      const error = refusal(verifier, sign({ agency: 'x'.repeat(500) }));

      expect(error.reason.length).toBeLessThan(80);
    });
  });
});
