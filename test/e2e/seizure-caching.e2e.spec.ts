import { randomUUID } from 'node:crypto';
import { LIQUOR, actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

type Actor = (typeof actors)[keyof typeof actors];

/**
 * An officer sees the person seized from; a custodian sees only that the data exists. The two
 * representations must never be mistaken for each other by a cache: different validators,
 * `Vary: Authorization`, and the personal copy not stored at all.
 */
describe('caching of seizure reads by who asks (e2e)', () => {
  let e2e: E2eApp;
  const seizureId = randomUUID();
  const seizure = recordSeizureCommand({ seizureId, memoNumber: 'M-CACHE' }).data;
  const personName = seizure.seizedFrom.name;

  beforeAll(async () => {
    e2e = await startE2eApp();
    await post('/seizures', actors.flyingSquad, seizure).expect(201);
  });
  afterAll(async () => {
    await e2e.close();
  });

  const get = (path: string, actor: Actor) =>
    e2e
      .http()
      .get(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`);
  const post = (path: string, actor: Actor, body: object) =>
    e2e
      .http()
      .post(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .send(body);
  const varyNames = (vary: string | undefined) => (vary ?? '').split(',').map((name) => name.trim().toLowerCase());

  it.each([[''], ['/events']])('GET /seizures/:id%s: personal and redacted copies differ in ETag and caching', async (suffix) => {
    const path = `/seizures/${seizureId}${suffix}`;
    const officer = await get(path, actors.flyingSquad).expect(200);
    const custodian = await get(path, actors.malkhana).expect(200);

    expect(JSON.stringify(officer.body)).toContain(personName);
    expect(JSON.stringify(custodian.body)).not.toContain(personName);

    expect(officer.headers.etag).toBe('"0"');
    expect(custodian.headers.etag).toBe('"0-r"');
    expect(varyNames(officer.headers.vary)).toContain('authorization');
    expect(varyNames(custodian.headers.vary)).toContain('authorization');
    expect(officer.headers['cache-control']).toBe('private, no-store');
    expect(custodian.headers['cache-control']).toMatch(/^private\b/);
    expect(custodian.headers['cache-control']).not.toMatch(/public/);

    // The custodian revalidating the officer's copy gets a full (redacted) answer, never a 304.
    const revalidated = await get(path, actors.malkhana).set('If-None-Match', officer.headers.etag).expect(200);
    expect(JSON.stringify(revalidated.body)).not.toContain(personName);
    expect(revalidated.headers.etag).toBe('"0-r"');
    // Nor the other way round.
    await get(path, actors.flyingSquad).set('If-None-Match', custodian.headers.etag).expect(200);
    // Each role's own validator still revalidates.
    await get(path, actors.malkhana).set('If-None-Match', custodian.headers.etag).expect(304);
  });

  it('takes either form of the revision in If-Match, weak or strong; a stale one of either form is 412', async () => {
    const id = randomUUID();
    await post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId: id, memoNumber: 'M-IFM-R' }).data).expect(201);
    const valuation = (valuePaise: number) => ({ valuations: [{ itemId: LIQUOR, valuePaise }], basis: 'MRP', reason: 'revalued' });
    const redacted = (await get(`/seizures/${id}`, actors.malkhana).expect(200)).headers.etag;
    expect(redacted).toBe('"0-r"');

    const first = await post(`/seizures/${id}/valuations`, actors.flyingSquad, valuation(5_000_000)).set('If-Match', redacted).expect(200);
    expect(first.headers.etag).toBe('"1"');
    await post(`/seizures/${id}/valuations`, actors.flyingSquad, valuation(5_100_000)).set('If-Match', 'W/"1-r"').expect(200);
    await post(`/seizures/${id}/valuations`, actors.flyingSquad, valuation(5_200_000)).set('If-Match', 'W/"2"').expect(200);

    const before = await e2e.lastPosition();
    for (const stale of ['"1-r"', '"1"', '"3-x"', '"3-"', '"-r"']) {
      const refused = await post(`/seizures/${id}/valuations`, actors.flyingSquad, valuation(1)).set('If-Match', stale).expect(412);
      expect(refused.body.type).toMatch(/\/stale-revision$/);
    }
    expect(await e2e.lastPosition()).toBe(before);
  });
});
