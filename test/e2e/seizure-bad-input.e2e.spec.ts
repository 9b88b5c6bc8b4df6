import { randomUUID } from 'node:crypto';
import { CASH, actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

const PROBLEM_JSON = /^application\/problem\+json/;

/** Each bad request gets a clear 4xx problem naming the field and reason, and appends nothing. */
describe('bad input to the seizure API (e2e, SQLite)', () => {
  let e2e: E2eApp;
  let seizureId: string;
  let token: string;

  beforeAll(async () => {
    e2e = await startE2eApp();
    token = e2e.tokenFor(actors.flyingSquad);
    seizureId = randomUUID();
    await e2e.http().post('/seizures').set('Authorization', `Bearer ${token}`).send(recordSeizureCommand({ seizureId }).data).expect(201);
  });
  afterAll(async () => {
    await e2e.close();
  });

  const valid = () => recordSeizureCommand({ seizureId: randomUUID() }).data;
  const withItem = (change: Record<string, unknown>) => {
    const body = valid();
    return { ...body, items: [{ ...body.items[0], ...change }] };
  };

  async function expectRefused(
    send: () => Promise<{
      status: number;
      headers: Record<string, string>;
      body: { status?: number; type?: string; errors?: Array<{ field: string; reason: string }> };
    }>,
    status: number,
    field?: string | RegExp,
  ) {
    const before = await e2e.lastPosition();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    if (field !== undefined) {
      const fields = (response.body.errors ?? []).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining([typeof field === 'string' ? field : expect.stringMatching(field)]));
      for (const e of response.body.errors ?? []) expect(e.reason.length).toBeGreaterThan(0);
    }
    expect(await e2e.lastPosition()).toBe(before);
    return response;
  }
  const record = (body: object) => () => e2e.http().post('/seizures').set('Authorization', `Bearer ${token}`).send(body);

  it.each([
    ['an unknown top-level field', { ...valid(), actor: { sub: 'someone-else' } }, 'actor'],
    ['an unknown nested field', { ...valid(), location: { ...valid().location, pincode: '221002' } }, 'location.pincode'],
    ['a fractional amount of paise', withItem({ quantity: 1250.5, estimatedValuePaise: 1250.5 }), 'items[0].quantity'],
    ['a negative value', withItem({ estimatedValuePaise: -100 }), 'items[0].estimatedValuePaise'],
    ['money as a string', withItem({ estimatedValuePaise: '125000000' }), 'items[0].estimatedValuePaise'],
    ['a quantity beyond safe integers', withItem({ quantity: 2 ** 60 }), 'items[0].quantity'],
    ['an unknown category', withItem({ category: 'gold' }), 'items[0].category'],
    ['an unknown agency', { ...valid(), agency: 'cia' }, 'agency'],
    ['a seizure id that is not a UUID', { ...valid(), seizureId: 'seizure-1' }, 'seizureId'],
    ['an overlong memo number', { ...valid(), memoNumber: 'M'.repeat(65) }, 'memoNumber'],
    ['an overlong item description', withItem({ description: 'd'.repeat(501) }), 'items[0].description'],
    ['a latitude off the globe', { ...valid(), location: { ...valid().location, latitude: 123 } }, 'location.latitude'],
    ['a time with no offset for seizedAt', { ...valid(), seizedAt: '2024-04-19T11:00:00' }, 'seizedAt'],
    ['an impossible poll date', { ...valid(), election: { ...valid().election, pollDate: '2024-02-30' } }, 'election.pollDate'],
    ['one witness', { ...valid(), witnesses: [valid().witnesses[0]] }, 'witnesses'],
    ['items as an object', { ...valid(), items: { 0: valid().items[0] } }, 'items'],
    ['201 items', { ...valid(), items: Array.from({ length: 201 }, (_, i) => ({ ...valid().items[1], itemId: `i-${i}` })) }, 'items'],
    ['a photo hash that is not SHA-256', { ...valid(), media: [{ kind: 'photo', sha256: 'abc' }] }, 'media[0].sha256'],
  ])('refuses %s with 400 naming the field', async (_label, body, field) => {
    await expectRefused(record(body), 400, field);
  });

  it('refuses a domain rule broken with a 400 naming the rule and field', async () => {
    const response = await expectRefused(record(withItem({ unit: 'ml' })), 400, 'items[0].unit');
    expect(response.body).toMatchObject({ type: expect.stringMatching(/\/unit-not-allowed$/) });
  });

  it('refuses bad path parameters', async () => {
    await expectRefused(
      () =>
        e2e
          .http()
          .post('/seizures/not-a-uuid/valuations')
          .set('Authorization', `Bearer ${token}`)
          .send({ valuations: [{ itemId: CASH, valuePaise: 1 }], basis: 'b', reason: 'r' }),
      400,
    );
    await expectRefused(
      () =>
        e2e
          .http()
          .post(`/seizures/${seizureId}/transfers/nope/accept`)
          .set('Authorization', `Bearer ${token}`)
          .send({ seals: [], countedQuantities: [{ itemId: CASH, quantity: 1 }], remarks: '' }),
      400,
    );
  });

  it('refuses a fractional deposit and a negative confirmation', async () => {
    const deposit = {
      challanNumber: 'CH-1',
      treasury: { id: 'TR-VNS', name: 'T' },
      itemIds: [CASH],
      amountPaise: 99.99,
      depositedOn: '2024-04-20',
    };
    await expectRefused(
      () => e2e.http().post(`/seizures/${seizureId}/deposits`).set('Authorization', `Bearer ${token}`).send(deposit),
      400,
      'amountPaise',
    );
    const treasury = e2e.tokenFor(actors.treasuryOfficer);
    await expectRefused(
      () =>
        e2e
          .http()
          .post(`/seizures/${seizureId}/deposits/CH-1/confirm`)
          .set('Authorization', `Bearer ${treasury}`)
          .send({ confirmedAmountPaise: -1, remarks: '' }),
      400,
      'confirmedAmountPaise',
    );
  });

  it('refuses a body that is not JSON with 415, and malformed JSON with 400', async () => {
    await expectRefused(
      () => e2e.http().post('/seizures').set('Authorization', `Bearer ${token}`).set('Content-Type', 'text/plain').send('seizure'),
      415,
    );
    await expectRefused(() => e2e.http().post('/seizures').set('Authorization', `Bearer ${token}`).type('form').send('seizureId=1'), 415);
    const malformed = await expectRefused(
      () =>
        e2e.http().post('/seizures').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send('{"seizureId": '),
      400,
    );
    expect(malformed.body).toMatchObject({ type: expect.stringMatching(/\/malformed-json$/) });
  });

  it('refuses a body over the size limit with 413', async () => {
    const huge = { ...valid(), memoNumber: 'x'.repeat(e2e.config.bodyLimitBytes + 1) };
    await expectRefused(record(huge), 413);
  });

  it('refuses deeply nested JSON without crashing', async () => {
    const depth = 10_000;
    const nested = `{"seizureId":"${randomUUID()}","items":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const response = await expectRefused(
      () => e2e.http().post('/seizures').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(nested),
      400,
    );
    expect(response.body.status).toBe(400);
  });
});
