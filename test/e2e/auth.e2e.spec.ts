import { Controller, Get, Global, INestApplication, Module, Post } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AUTH_CONFIG } from '../../src/auth/auth-config';
import { AuthModule } from '../../src/auth/auth.module';
import { TEST_ACTOR, TEST_JWT_SECRET, signJwt, testAuthConfig, testClaims, testToken } from '../../src/auth/auth.test-support';
import { CurrentActor } from '../../src/auth/current-actor.decorator';
import { Public } from '../../src/auth/public.decorator';
import { Roles } from '../../src/auth/roles.decorator';
import type { Actor } from '../../src/shared/actor';
import { PROBLEM_TYPE_BASE_URI, ProblemDetailsFilter } from '../../src/platform/http/problem-details.filter';

/** Test-only routes covering the three kinds of access a feature controller declares. */
@Controller('auth-probe')
class AuthProbeHttpController {
  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }

  @Get('me')
  me(@CurrentActor() actor: Actor): { actor: Actor } {
    return { actor };
  }

  // A client may put anything in the body; the actor still comes from the token.
  @Post('me')
  postMe(@CurrentActor() actor: Actor): { actor: Actor } {
    return { actor };
  }

  @Roles('treasury')
  @Get('treasury')
  treasury(@CurrentActor() actor: Actor): { actor: Actor } {
    return { actor };
  }

  @Public()
  @Get('misused')
  misused(@CurrentActor() actor: Actor): { actor: Actor } {
    return { actor };
  }
}

const PROBLEM_JSON = /^application\/problem\+json/;

/** Stands in for an app config module that provides AUTH_CONFIG to the plain AuthModule. */
@Global()
@Module({ providers: [{ provide: AUTH_CONFIG, useValue: testAuthConfig() }], exports: [AUTH_CONFIG] })
class ProvidesAuthConfigModule {}

describe('Authentication and roles (e2e)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot(testAuthConfig())],
      controllers: [AuthProbeHttpController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter(app.get(HttpAdapterHost)));
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (path: string): request.Test => request(app.getHttpServer()).get(path);

  describe('public routes', () => {
    it('answer without a token', async () => {
      await get('/auth-probe/open').expect(200, { open: true });
    });

    it('fail loudly when a handler asks for the actor of an unauthenticated request', async () => {
      const response = await get('/auth-probe/misused').expect(500);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    });
  });

  describe('401', () => {
    it('without an Authorization header: problem+json with a bare Bearer challenge', async () => {
      const response = await get('/auth-probe/me').expect(401);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="seizure-custody-ledger"');
      expect(response.body).toEqual({
        type: `${PROBLEM_TYPE_BASE_URI}unauthorized`,
        title: 'Unauthorized',
        status: 401,
        detail: 'Authentication required: send an Authorization: Bearer <token> header.',
        instance: '/auth-probe/me',
      });
    });

    it('with another authentication scheme', async () => {
      const response = await get('/auth-probe/me').set('Authorization', 'Basic dTpw').expect(401);

      expect(response.headers['www-authenticate']).toBe('Bearer realm="seizure-custody-ledger"');
      expect(response.body.detail).toMatch(/Bearer scheme/);
    });

    it.each([
      ['a malformed token', 'Bearer not-a-jwt', /malformed token/],
      ['an empty bearer', 'Bearer ', /malformed token/],
      ['two tokens', `Bearer ${testToken()} ${testToken()}`, /malformed token/],
    ])('with %s', async (_case, header, reason) => {
      const response = await get('/auth-probe/me').set('Authorization', header).expect(401);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.headers['www-authenticate']).toMatch(
        /^Bearer realm="seizure-custody-ledger", error="invalid_token", error_description="malformed token: /,
      );
      expect(response.body.detail).toMatch(reason);
    });

    it('with an expired token, saying so', async () => {
      const past = new Date(Date.now() - 2 * 3600 * 1000).toISOString();
      const expired = signJwt(testClaims(past), { alg: 'HS256', secret: TEST_JWT_SECRET });

      const response = await get('/auth-probe/me').set('Authorization', `Bearer ${expired}`).expect(401);

      expect(response.headers['www-authenticate']).toBe(
        'Bearer realm="seizure-custody-ledger", error="invalid_token", error_description="token has expired"',
      );
      expect(response.body).toMatchObject({ status: 401, detail: 'Invalid token: token has expired' });
    });

    it('with a token signed by another key', async () => {
      const attacker = { alg: 'HS256', secret: 'an-attacker-secret-of-at-least-32-bytes!!' } as const;
      const forged = signJwt(testClaims(new Date().toISOString()), attacker);

      const response = await get('/auth-probe/me').set('Authorization', `Bearer ${forged}`).expect(401);

      expect(response.headers['www-authenticate']).toMatch(/error_description="bad signature"/);
    });

    it('with claims it cannot map, quoting values safely in the header', async () => {
      const token = testToken({ roles: ['officer'] });
      const withUnknownRole = signJwt(
        { ...JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()), roles: ['wizard'] },
        { alg: 'HS256', secret: TEST_JWT_SECRET },
      );

      const response = await get('/auth-probe/me').set('Authorization', `Bearer ${withUnknownRole}`).expect(401);

      expect(response.headers['www-authenticate']).toMatch(/error_description="unknown role 'wizard'"$/);
      expect(response.body.detail).toBe('Invalid token: unknown role "wizard"');
    });

    it('before any role check on a role-restricted route', async () => {
      const response = await get('/auth-probe/treasury').expect(401);

      expect(response.headers['www-authenticate']).toBeDefined();
    });
  });

  describe('403', () => {
    it('when the actor holds none of the required roles', async () => {
      const response = await get('/auth-probe/treasury').set('Authorization', `Bearer ${testToken()}`).expect(403);

      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual({
        type: `${PROBLEM_TYPE_BASE_URI}forbidden`,
        title: 'Forbidden',
        status: 403,
        detail: 'This action requires one of the roles: treasury.',
        instance: '/auth-probe/treasury',
      });
    });

    it('for admin too: admin does not imply other roles', async () => {
      await get('/auth-probe/treasury')
        .set('Authorization', `Bearer ${testToken({ roles: ['admin'] })}`)
        .expect(403);
    });
  });

  describe('200', () => {
    it('echoes the actor from the token to any authenticated user', async () => {
      const response = await get('/auth-probe/me').set('Authorization', `Bearer ${testToken()}`).expect(200);

      expect(response.body).toEqual({ actor: TEST_ACTOR });
    });

    it('accepts the scheme name in any case', async () => {
      await get('/auth-probe/me').set('Authorization', `bearer ${testToken()}`).expect(200);
    });

    it('lets an actor with the required role through', async () => {
      const response = await get('/auth-probe/treasury')
        .set('Authorization', `Bearer ${testToken({ roles: ['custodian', 'treasury'] })}`)
        .expect(200);

      expect(response.body.actor.roles).toEqual(['custodian', 'treasury']);
    });

    it('ignores an actor sent in the request body', async () => {
      const forgedActor = { ...TEST_ACTOR, sub: 'u-999', name: 'Someone Else', roles: ['treasury'], scope: { national: true } };

      const response = await request(app.getHttpServer())
        .post('/auth-probe/me')
        .set('Authorization', `Bearer ${testToken()}`)
        .send({ actor: forgedActor })
        .expect(201);

      expect(response.body).toEqual({ actor: TEST_ACTOR });
    });
  });
});

describe('AuthModule imported without forRoot (e2e)', () => {
  it('takes AUTH_CONFIG from another global module', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ProvidesAuthConfigModule, AuthModule],
      controllers: [AuthProbeHttpController],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      await request(app.getHttpServer()).get('/auth-probe/me').expect(401);
      await request(app.getHttpServer()).get('/auth-probe/me').set('Authorization', `Bearer ${testToken()}`).expect(200);
    } finally {
      await app.close();
    }
  });
});
