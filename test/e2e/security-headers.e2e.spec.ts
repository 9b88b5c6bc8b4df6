import { randomUUID } from 'node:crypto';
import { actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

/** X-Content-Type-Options on every kind of answer, and the policy Swagger UI is served under. */
// The first request for the console builds its files from the sources: allow for a loaded machine.
jest.setTimeout(30_000);

describe('security headers (e2e)', () => {
  let e2e: E2eApp;
  let seizureId: string;

  beforeAll(async () => {
    e2e = await startE2eApp();
    seizureId = randomUUID();
    await e2e
      .http()
      .post('/seizures')
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.flyingSquad)}`)
      .send(recordSeizureCommand({ seizureId }).data)
      .expect(201);
  });
  afterAll(async () => {
    await e2e.close();
  });

  const bearer = () => `Bearer ${e2e.tokenFor(actors.flyingSquad)}`;

  it('sends nosniff with JSON answers', async () => {
    const health = await e2e.http().get('/health').expect(200);
    expect(health.headers['content-type']).toMatch(/^application\/json/);
    expect(health.headers['x-content-type-options']).toBe('nosniff');

    const seizure = await e2e.http().get(`/seizures/${seizureId}`).set('Authorization', bearer()).expect(200);
    expect(seizure.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    ['no token', () => e2e.http().get(`/seizures/${seizureId}`), 401],
    ['an unknown route', () => e2e.http().get('/no-such-route').set('Authorization', bearer()), 404],
    [
      'malformed JSON',
      () => e2e.http().post('/seizures').set('Authorization', bearer()).set('Content-Type', 'application/json').send('{'),
      400,
    ],
    [
      'a non-JSON body',
      () => e2e.http().post('/seizures').set('Authorization', bearer()).set('Content-Type', 'text/html').send('<b>x</b>'),
      415,
    ],
  ])('sends nosniff with problem documents (%s)', async (_name, send, status) => {
    const response = await send().expect(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends nosniff with the console page and its files', async () => {
    const page = await e2e.http().get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    '/seizures',
    '/transfers/inbox',
    '/deadlines',
    '/session',
    '/statements/seizures?date=2024-04-20',
    '/seizures/:id/custody-history',
    '/seizures/:id/timeline',
    '/seizures/:id/evidence',
  ])('GET %s: varies on the token and is kept by no cache', async (route) => {
    const response = await e2e.http().get(route.replace(':id', seizureId)).set('Authorization', bearer()).expect(200);
    expect(response.headers.vary).toMatch(/\bAuthorization\b/);
    expect(response.headers['cache-control']).toMatch(/\bno-store\b/);
    expect(response.headers['cache-control']).not.toMatch(/\bpublic\b/);
  });

  it('serves Swagger UI and its files with nosniff, a CSP and frame-ancestors none', async () => {
    for (const path of ['/docs', '/docs/swagger-ui-init.js', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']) {
      const response = await e2e.http().get(path).redirects(1).expect(200);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      // Scripts come from the server's own files only: no inline script, no eval.
      expect(csp).toMatch(/script-src 'self'(;|$)/);
    }
    const json = await e2e.http().get('/docs-json').expect(200);
    expect(json.headers['x-content-type-options']).toBe('nosniff');
  });
});
