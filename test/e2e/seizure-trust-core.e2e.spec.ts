import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { CASH, actors, custodians, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

const PROBLEM_JSON = /^application\/problem\+json/;

type Answer = {
  status: number;
  headers: Record<string, string>;
  body: { type?: string; detail?: string; errors?: Array<{ field: string; reason: string }> };
};

/**
 * What the ledger refuses before anything reaches the permanent record, over HTTP: each answer is
 * a 400 problem naming the field and saying what a valid value looks like, and nothing is appended.
 */
describe('the trust core: whatever the ledger accepts it can project and prove (e2e, SQLite)', () => {
  let e2e: E2eApp;
  let officer: string;

  beforeAll(async () => {
    e2e = await startE2eApp();
    officer = e2e.tokenFor(actors.flyingSquad);
  });
  afterAll(async () => {
    await e2e.close();
  });

  const valid = () => JSON.parse(JSON.stringify(recordSeizureCommand({ seizureId: randomUUID() }).data)) as Record<string, any>;
  const postRaw =
    (text: string | Buffer, headers: Record<string, string> = {}) =>
    () => {
      // The bytes as given: superagent would otherwise serialise a Buffer as JSON.
      const request = e2e
        .http()
        .post('/seizures')
        .set('Authorization', `Bearer ${officer}`)
        .set('Content-Type', 'application/json')
        .serialize((bytes: unknown) => bytes as string);
      for (const [name, value] of Object.entries(headers)) request.set(name, value);
      return request.send(text) as unknown as Promise<Answer>;
    };
  const post = (body: unknown) => postRaw(JSON.stringify(body));

  async function refused(send: () => Promise<Answer>, status: number, field?: string): Promise<Answer> {
    const before = await e2e.lastPosition();
    const response = await send();
    expect({ status: response.status, body: response.body }).toMatchObject({ status });
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    if (field !== undefined) expect(response.body.errors?.map((e) => e.field)).toContain(field);
    expect(await e2e.lastPosition()).toBe(before);
    return response;
  }

  describe('missing parts that once got a 500 or were stored for ever', () => {
    it.each(['location', 'seizedFrom', 'election', 'witnesses', 'items'])('refuses a seizure without %s', async (field) => {
      const body = valid();
      delete body[field];
      const { body: problem } = await refused(post(body), 400, field);
      expect(problem.errors?.find((e) => e.field === field)?.reason).toMatch(/is required/);
    });

    it.each([
      ['a transfer without to', 'transfers', { transferId: randomUUID(), itemIds: [CASH], sealNumbers: [], reason: 'to treasury' }, 'to'],
      [
        'a deposit without treasury',
        'deposits',
        { challanNumber: 'CH-9', itemIds: [CASH], amountPaise: 100, depositedOn: '2024-04-19' },
        'treasury',
      ],
      [
        'a release order without releaseTo',
        'release-orders',
        { orderNumber: 'O-9', orderedOn: '2024-04-19', itemIds: [CASH], reasons: 'receipts shown for the whole amount' },
        'releaseTo',
      ],
      [
        'an item list of nulls',
        'transfers',
        { transferId: randomUUID(), itemIds: [null], to: custodians.treasury, sealNumbers: [], reason: 'r' },
        'itemIds',
      ],
    ])('refuses %s with a 400, never a 500', async (_what, route, body, field) => {
      const seizureId = randomUUID();
      await e2e
        .http()
        .post('/seizures')
        .set('Authorization', `Bearer ${officer}`)
        .send(recordSeizureCommand({ seizureId }).data)
        .expect(201);
      const token = route === 'release-orders' ? e2e.tokenFor(actors.committee) : officer;
      await refused(
        () => e2e.http().post(`/seizures/${seizureId}/${route}`).set('Authorization', `Bearer ${token}`).send(body),
        400,
        field,
      );
    });
  });

  it('refuses a latitude sent as a string: numbers are JSON numbers', async () => {
    const body = valid();
    body.location.latitude = '25.3';
    const { body: problem } = await refused(post(body), 400, 'location.latitude');
    expect(problem.errors?.[0].reason).toContain('must be a JSON number');
  });

  it.each([
    ['NUL', 'Ramesh\u0000Chandra', 'seizedFrom.name'],
    ['a bell', 'Ramesh\u0007', 'seizedFrom.name'],
    ['a right-to-left override', 'Mohan\u202eLal', 'witnesses[0].name'],
    ['a first-strong isolate', '\u2068Sigra', 'seizedFrom.address'],
    ['a zero-width space in a code', 'FS3/VNS\u200b/117', 'memoNumber'],
    ['a newline in a one-line field', 'Sigra\nVaranasi', 'seizedFrom.address'],
  ])('refuses %s in text, naming the field and the character', async (_what, text, field) => {
    const body = valid();
    const path = field.replace(/\[(\d+)\]/g, '.$1').split('.');
    let target = body;
    for (const key of path.slice(0, -1)) target = target[key];
    target[path[path.length - 1]] = text;
    const { body: problem } = await refused(post(body), 400, field);
    expect(problem.errors?.[0].reason).toMatch(/U\+[0-9A-F]{4}/);
  });

  it('refuses a lone surrogate, which JSON can carry as an escape', async () => {
    const text = JSON.stringify(valid()).replace('"रमेश चंद्र"', '"Ramesh \\ud800"');
    await refused(postRaw(text), 400, 'seizedFrom.name');
  });

  it('refuses duplicate keys at any depth, naming the path', async () => {
    const text = JSON.stringify(valid()).replace('"state":"UP"', '"state":"UP","state":"MH"');
    const { body: problem } = await refused(postRaw(text), 400, 'location.state');
    expect(problem.errors?.[0].reason).toContain('appears twice');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s', async (key) => {
    const text = JSON.stringify(valid()).replace('{', `{"${key}":{"isAdmin":true},`);
    await refused(postRaw(text), 400, key);
  });

  it('refuses a body whose Content-Encoding does not decode, and an unknown coding', async () => {
    const broken = await refused(postRaw(Buffer.from('not gzip at all'), { 'Content-Encoding': 'gzip' }), 400);
    expect(broken.body.type).toMatch(/\/undecodable-body$/);
    await refused(postRaw(Buffer.from('garbage'), { 'Content-Encoding': 'br' }), 400);
    await refused(postRaw(Buffer.from('{}'), { 'Content-Encoding': 'compress' }), 415);
  });

  it('refuses an attachment sent with a Content-Encoding: its bytes are stored and hashed as sent', async () => {
    const body = valid();
    await e2e.http().post('/seizures').set('Authorization', `Bearer ${officer}`).send(body).expect(201);
    const before = await e2e.lastPosition();
    const response = await e2e
      .http()
      .post(`/seizures/${body.seizureId}/attachments?fileName=seal.png`)
      .set('Authorization', `Bearer ${officer}`)
      .set('Content-Type', 'image/png')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])));
    expect(response.status).toBe(415);
    expect(response.body.type).toMatch(/\/unsupported-content-encoding$/);
    expect(await e2e.lastPosition()).toBe(before);
  });

  it('accepts a gzip body that decodes', async () => {
    const response = await postRaw(gzipSync(JSON.stringify(valid())), { 'Content-Encoding': 'gzip' })();
    expect(response.status).toBe(201);
  });

  it('stores a time given with an offset as UTC, and refuses one without', async () => {
    const body = valid();
    body.seizedAt = '2024-04-19T11:00:00+05:30';
    await e2e.http().post('/seizures').set('Authorization', `Bearer ${officer}`).send(body).expect(201);
    const trail = await e2e.http().get(`/seizures/${body.seizureId}/events`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(trail.body.events[0].data.seizedAt).toBe('2024-04-19T05:30:00.000Z');
    const { body: problem } = await refused(post({ ...valid(), seizedAt: '2024-04-19T11:00:00' }), 400, 'seizedAt');
    expect(problem.errors?.[0].reason).toContain('ambiguous');
  });

  it('stores text as NFC', async () => {
    const body = valid();
    body.seizedFrom.name = 'Jose\u0301';
    await e2e.http().post('/seizures').set('Authorization', `Bearer ${officer}`).send(body).expect(201);
    const trail = await e2e.http().get(`/seizures/${body.seizureId}/events`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(trail.body.events[0].data.seizedFrom.name).toBe('Jos\u00e9');
  });

  describe('places from the reference data', () => {
    it('refuses a district outside the stated state, saying which districts the state has', async () => {
      const body = valid();
      body.location = { ...body.location, state: 'MH' };
      const { body: problem } = await refused(post(body), 400, 'location.district');
      expect(problem.errors?.[0].reason).toMatch(/UP-VNS \(Varanasi\) is not in state MH; districts of MH include MH-\d+ \(Ahmednagar\)/);
    });

    it('refuses an assembly constituency of another district, and a PC that does not contain the AC', async () => {
      const ac = valid();
      ac.location.assemblyConstituency = 173;
      await refused(post(ac), 400, 'location.assemblyConstituency');
      const pc = valid();
      pc.location.parliamentaryConstituency = 78;
      const { body: problem } = await refused(post(pc), 400, 'location.parliamentaryConstituency');
      expect(problem.errors?.[0].reason).toContain('which belongs to PC 77');
    });

    it('accepts the LGD form of a district and stores the one spelling tokens and searches use', async () => {
      const body = valid();
      body.location.district = 'UP-187';
      await e2e.http().post('/seizures').set('Authorization', `Bearer ${officer}`).send(body).expect(201);
      const trail = await e2e.http().get(`/seizures/${body.seizureId}/events`).set('Authorization', `Bearer ${officer}`).expect(200);
      expect(trail.body.events[0].data.location.district).toBe('UP-VNS');
      expect(trail.body.events[0].data.placesVersion).toEqual(expect.any(String));
    });
  });

  it("records the seizure in the officer's agency from the token, and refuses an agency in the body", async () => {
    await refused(post({ ...valid(), agency: 'income_tax' }), 400, 'agency');
    const body = valid();
    await e2e.http().post('/seizures').set('Authorization', `Bearer ${officer}`).send(body).expect(201);
    const trail = await e2e.http().get(`/seizures/${body.seizureId}/events`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(trail.body.events[0].data.agency).toBe(actors.flyingSquad.agency);
  });
});
