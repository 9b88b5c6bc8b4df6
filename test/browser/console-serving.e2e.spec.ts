import { createHash } from 'node:crypto';
import { ACTIONS } from '../../src/console/web/permissions';
import { actors } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';
import { routesOf } from '../support/route-metadata';

/** The console's page and files as served, and its table of who may do what, against the server's own metadata. No browser needed. */
// The first request of a font cuts it from the sources: seconds on a busy machine.
jest.setTimeout(30_000);

// The first request for the console builds its files from the sources: allow for a loaded machine.
jest.setTimeout(30_000);

/** Role-restricted routes the console does not offer, each with why, and each named in the README's console section. */
const NOT_IN_CONSOLE = [
  // A bundle issued before, fetched again by its hash: for scripts and links, not a console page.
  'GET /evidence/bundles/:bundleHash',
  'GET /evidence/bundles/:bundleHash.pdf',
  // Erasure is done under an order by the district election office or a court, through the API (see Erasure).
  'POST /seizures/:seizureId/personal-data-erasures',
];

describe('web console: served files and permissions (e2e)', () => {
  let e2e: E2eApp;

  beforeAll(async () => {
    e2e = await startE2eApp();
  });
  afterAll(async () => {
    await e2e.close();
  });

  it('offers each action to exactly the roles the API allows, and every role-restricted command is accounted for', () => {
    const routes = routesOf(e2e.app);
    const key = (r: { method: string; path: string }): string => `${r.method} ${r.path}`;
    const byKey = new Map(routes.map((r) => [key(r), r]));
    for (const [id, action] of Object.entries(ACTIONS)) {
      const route = byKey.get(key(action));
      expect({ id, found: route !== undefined }).toEqual({ id, found: true });
      expect({ id, roles: [...(route?.roles ?? [])].sort() }).toEqual({ id, roles: [...action.roles].sort() });
    }
    const offered = new Set(Object.values(ACTIONS).map(key));
    const restricted = routes.filter((r) => r.roles !== undefined).map(key);
    // Every role-restricted route of the API is offered in the console, or named above as not.
    expect(restricted.filter((k) => !offered.has(k)).sort()).toEqual([...NOT_IN_CONSOLE].sort());
  });

  it('serves the page at / with a strict Content-Security-Policy that pins its one inline script, the import map', async () => {
    const response = await e2e.http().get('/').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("font-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const inline = [...response.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].filter(
      ([, attributes]) => !/\bsrc=/.test(attributes),
    );
    expect(inline.map(([, attributes]) => attributes.trim())).toEqual(['type="importmap"']);
    const hash = createHash('sha256').update(inline[0][2], 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    // Resolved with a browser's export conditions: @noble/hashes/crypto is the Web Crypto shim, not its node:crypto variant.
    expect(JSON.parse(inline[0][2])).toEqual({
      imports: expect.objectContaining({
        '@noble/curves/ed25519': '/console/vendor/@noble/curves/esm/ed25519.js',
        '@noble/hashes/crypto': '/console/vendor/@noble/hashes/esm/crypto.js',
      }),
    });
  });

  it('serves the console’s modules and the verifier’s, and nothing else of src or node_modules', async () => {
    const main = await e2e.http().get('/console/src/console/web/main.js').expect(200);
    expect(main.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(main.text).toContain("from './api.js'");
    const verifier = await e2e.http().get('/console/src/evidence/verify/bundle.verify.js').expect(200);
    expect(verifier.text).toContain('export function verifyEvidenceBundle');
    await e2e.http().get('/console/vendor/@noble/hashes/esm/sha2.js').expect(200);

    for (const path of [
      '/console/src/auth/token-issuer.js',
      '/console/src/console/web/main.ts',
      '/console/src/console/console.module.js',
      '/console/vendor/@noble/hashes/package.json',
      '/console/vendor/@noble/hashes/esm/sha2.js.map',
      '/console/vendor/better-sqlite3/package.json',
      '/console/../package.json',
      '/console/%2e%2e/package.json',
    ]) {
      const response = await e2e.http().get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
  });

  it('serves the Devanagari subsets as WOFF2 (not gzipped again), with their licence', async () => {
    for (const weight of [400, 700]) {
      const font = await e2e
        .http()
        .get(`/console/fonts/noto-sans-devanagari-${weight}.woff2`)
        .set('Accept-Encoding', 'gzip')
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(font.headers['content-type']).toBe('font/woff2');
      expect(font.headers['content-encoding']).toBeUndefined();
      expect((font.body as Buffer).subarray(0, 4).toString('latin1')).toBe('wOF2');
    }
    const licence = await e2e.http().get('/console/fonts/OFL.txt').expect(200);
    expect(licence.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(licence.text).toContain('SIL Open Font License');
  });

  it('answers a repeat visit with 304, and gzips for browsers that accept it', async () => {
    const first = await e2e.http().get('/console/styles.css').set('Accept-Encoding', 'identity').expect(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    await e2e.http().get('/console/styles.css').set('If-None-Match', String(first.headers.etag)).expect(304);
    const zipped = await e2e.http().get('/console/styles.css').set('Accept-Encoding', 'gzip, br').expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.text).toBe(first.text);
  });

  it('leaves the API as it was: routes authenticated, other methods on / not served, docs public', async () => {
    await e2e.http().get('/health').expect(200);
    await e2e.http().get('/seizures').expect(401);
    await e2e.http().get('/session').expect(401);
    await e2e.http().post('/').send({}).expect(404);
    await e2e.http().get('/docs-json').expect(200);
    const session = await e2e
      .http()
      .get('/session')
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.treasuryOfficer)}`)
      .expect(200);
    expect(session.body).toEqual(actors.treasuryOfficer);
  });
});
