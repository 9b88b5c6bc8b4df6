import { Controller, Get } from '@nestjs/common';
import request from 'supertest';
import { testToken } from '../../src/auth/auth.test-support';
import { PROBLEM_TYPE_BASE_URI } from '../../src/platform/http/problem-details.filter';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

/** Two authenticated routes: limits apply per caller across routes, not per route. */
@Controller('rate-probe')
class RateProbeHttpController {
  @Get('a')
  a(): { route: 'a' } {
    return { route: 'a' };
  }

  @Get('b')
  b(): { route: 'b' } {
    return { route: 'b' };
  }
}

const BURST = 3;
const PER_MINUTE = 5;

describe('Rate limits (e2e)', () => {
  let e2e: E2eApp;
  const token = testToken();
  const otherToken = testToken({ sub: 'u-18', name: 'Ravi Kumar' });

  beforeEach(async () => {
    e2e = await startE2eApp({
      env: { RATE_LIMIT_BURST_PER_SECOND: String(BURST), RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) },
      controllers: [RateProbeHttpController],
    });
  });

  afterEach(async () => {
    await e2e.close();
  });

  const get = (path: string, bearer?: string): request.Test => {
    const call = e2e.http().get(path);
    return bearer === undefined ? call : call.set('Authorization', `Bearer ${bearer}`);
  };

  it('refuses the request over the per-second burst with a 429 problem and Retry-After', async () => {
    for (let i = 0; i < BURST; i++) await get('/rate-probe/a', token).expect(200);

    const response = await get('/rate-probe/a', token).expect(429);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(response.body).toMatchObject({
      type: `${PROBLEM_TYPE_BASE_URI}too-many-requests`,
      title: 'Too many requests',
      status: 429,
      detail: expect.stringContaining(`At most ${BURST} requests per second`),
      instance: '/rate-probe/a',
    });
  });

  it('counts a caller across routes', async () => {
    await get('/rate-probe/a', token).expect(200);
    await get('/rate-probe/b', token).expect(200);
    await get('/rate-probe/a', token).expect(200);

    await get('/rate-probe/b', token).expect(429);
  });

  it('counts each bearer token on its own', async () => {
    for (let i = 0; i < BURST; i++) await get('/rate-probe/a', token).expect(200);
    await get('/rate-probe/a', token).expect(429);

    await get('/rate-probe/a', otherToken).expect(200);
  });

  it('applies the per-minute limit once the burst window has passed', async () => {
    for (let i = 0; i < BURST; i++) await get('/rate-probe/a', token).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (let i = BURST; i < PER_MINUTE; i++) await get('/rate-probe/a', token).expect(200);

    const response = await get('/rate-probe/a', token).expect(429);

    expect(response.body.detail).toContain(`At most ${PER_MINUTE} requests per minute`);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(50);
  });

  it('limits callers without a token by address, before authentication', async () => {
    for (let i = 0; i < BURST; i++) await get('/rate-probe/a').expect(401);

    await get('/rate-probe/a').expect(429);
  });

  it('never limits /health', async () => {
    for (let i = 0; i < BURST * 4; i++) await get('/health').expect(200);
    for (let i = 0; i < BURST * 4; i++) await get('/health', token).expect(200);
  });
});
