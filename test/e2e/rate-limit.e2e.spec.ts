import { randomUUID } from 'node:crypto';
import { Controller, Get } from '@nestjs/common';
import request from 'supertest';
import { testToken } from '../../src/auth/auth.test-support';
import { PROBLEM_TYPE_BASE_URI } from '../../src/platform/http/problem-details.filter';
import { FixedClock } from '../../src/shared/clock';
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

  it('counts junk tokens against the address: 50 fresh ones from one address run out its budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await get('/rate-probe/a', `junk-${i}.${randomUUID()}.x`)).status);

    expect(statuses.slice(0, BURST)).toEqual(Array(BURST).fill(401));
    expect(statuses.slice(BURST)).toEqual(Array(50 - BURST).fill(429));
    // An expired token is no better than junk.
    await get('/rate-probe/a', testToken({ ttlSeconds: 1 }, { clock: new FixedClock('2024-01-01T00:00:00.000Z') })).expect(429);
    // Nor is no token at all: the address's budget is spent.
    await get('/rate-probe/a').expect(429);
  });

  it('still gives a valid token its own budget when junk from the same address has spent the address budget', async () => {
    for (let i = 0; i < BURST * 2; i++) await get('/rate-probe/a', `junk-${i}`);
    await get('/rate-probe/a', 'junk-again').expect(429);

    await get('/rate-probe/a', token).expect(200);
  });

  it('ignores X-Forwarded-For by default: a client cannot pick the address it is counted under', async () => {
    for (let i = 0; i < BURST; i++) await get('/rate-probe/a').set('X-Forwarded-For', `203.0.113.${i}`).expect(401);

    await get('/rate-probe/a').set('X-Forwarded-For', '203.0.113.99').expect(429);
  });

  it('never limits /health', async () => {
    for (let i = 0; i < BURST * 4; i++) await get('/health').expect(200);
    for (let i = 0; i < BURST * 4; i++) await get('/health', token).expect(200);
  });
});

describe('Rate limits behind a trusted reverse proxy (e2e)', () => {
  let e2e: E2eApp;

  beforeEach(async () => {
    e2e = await startE2eApp({
      env: { RATE_LIMIT_BURST_PER_SECOND: String(BURST), RATE_LIMIT_PER_MINUTE: String(PER_MINUTE), TRUST_PROXY: '1' },
      controllers: [RateProbeHttpController],
    });
  });

  afterEach(async () => {
    await e2e.close();
  });

  it('counts each client named by X-Forwarded-For on its own with TRUST_PROXY=1', async () => {
    for (let i = 0; i < BURST; i++) await e2e.http().get('/rate-probe/a').set('X-Forwarded-For', '203.0.113.1').expect(401);
    await e2e.http().get('/rate-probe/a').set('X-Forwarded-For', '203.0.113.1').expect(429);

    await e2e.http().get('/rate-probe/a').set('X-Forwarded-For', '203.0.113.2').expect(401);
  });
});
