import { randomUUID } from 'node:crypto';
import type { Custodian } from '../../src/custody/values';
import type { Actor } from '../../src/shared/actor';
import { CASH, LIQUOR, actors, custodians, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

const PROBLEM_JSON = /^application\/problem\+json/;
const HOUR = 3_600_000;

/** A custodian of another malkhana in the same district: nothing handed to the excise malkhana is theirs. */
const policeMalkhana: Actor = {
  sub: 'u-mk-police',
  name: 'Head Constable Verma',
  roles: ['custodian'],
  unit: 'MK-VNS-POLICE',
  agency: 'police',
  scope: actors.malkhana.scope,
};

/**
 * GET /transfers/inbox over HTTP, fed by the real projector from commands sent through the API.
 * Every read passes the position of the caller's last write as minPosition.
 */
describe('transfer inbox over HTTP (e2e, SQLite)', () => {
  let e2e: E2eApp;
  const A = randomUUID();
  const B = randomUUID();
  const C = randomUUID();
  const first = randomUUID();
  const second = randomUUID();
  const toSunita = randomUUID();
  let written = 0;

  const post = async (path: string, actor: Actor, body: object): Promise<number> => {
    const res = await e2e
      .http()
      .post(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .send(body)
      .expect((r) => expect([200, 201]).toContain(r.status));
    written = res.body.globalPosition as number;
    return written;
  };
  const inbox = (actor: Actor, query = '') =>
    e2e
      .http()
      .get(`/transfers/inbox?minPosition=${written}${query}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`);
  const start = (seizureId: string, transferId: string, itemIds: string[], to: Custodian, sealNumbers: string[]) =>
    post(`/seizures/${seizureId}/transfers`, actors.flyingSquad, { transferId, itemIds, to, sealNumbers, reason: 'case property' });

  beforeAll(async () => {
    e2e = await startE2eApp({ env: { RATE_LIMIT_BURST_PER_SECOND: '100000', RATE_LIMIT_PER_MINUTE: '1000000' } });
    await post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId: A }).data);
    await post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId: B, memoNumber: 'FS3/VNS/2024/118' }).data);
    await post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId: C, memoNumber: 'FS3/VNS/2024/119' }).data);
  });
  afterAll(async () => {
    await e2e.close();
  });

  it('shows the malkhana the transfer once the officer starts it, and empties when it is accepted', async () => {
    const before = await inbox(actors.malkhana).expect(200);
    expect(before.body).toEqual({ items: [], nextCursor: null });

    e2e.clock.advance(HOUR);
    const position = await start(A, first, [LIQUOR], custodians.malkhana, ['S-1002', 'S-1003']);
    const waiting = await inbox(actors.malkhana).expect(200);
    expect(waiting.headers['content-type']).toMatch(/^application\/json/);
    expect(Number(waiting.headers['x-read-model-position'])).toBeGreaterThanOrEqual(position);
    expect(waiting.body).toEqual({
      items: [
        {
          seizureId: A,
          transferId: first,
          memoNumber: 'FS3/VNS/2024/117',
          state: 'UP',
          district: 'UP-VNS',
          itemIds: [LIQUOR],
          from: custodians.flyingSquad,
          to: custodians.malkhana,
          sealNumbers: ['S-1002', 'S-1003'],
          // Free text that may name a person: the malkhana sees that there is a reason, not what it says.
          reason: { redacted: true, reason: expect.any(String) },
          initiatedAt: e2e.clock.now(),
          initiatedBy: { sub: actors.flyingSquad.sub, name: actors.flyingSquad.name },
          status: 'pending',
          closedAt: null,
          closedBy: null,
        },
      ],
      nextCursor: null,
    });

    e2e.clock.advance(HOUR);
    await post(`/seizures/${A}/transfers/${first}/accept`, actors.malkhana, {
      seals: [
        { number: 'S-1002', condition: 'intact' },
        { number: 'S-1003', condition: 'intact' },
      ],
      countedQuantities: [{ itemId: LIQUOR, quantity: 48_000 }],
      remarks: 'received in the strong room',
    });
    expect((await inbox(actors.malkhana).expect(200)).body).toEqual({ items: [], nextCursor: null });
    const accepted = await inbox(actors.malkhana, '&status=accepted').expect(200);
    expect(accepted.body.items).toEqual([
      expect.objectContaining({
        transferId: first,
        status: 'accepted',
        closedAt: e2e.clock.now(),
        closedBy: { sub: actors.malkhana.sub, name: actors.malkhana.name },
      }),
    ]);
  });

  it('shows another unit’s custodian nothing, and a colleague nothing addressed to one person', async () => {
    e2e.clock.advance(HOUR);
    await start(B, second, [LIQUOR], custodians.malkhana, ['S-1002']);
    await start(A, toSunita, [CASH], { kind: 'person', id: actors.treasuryOfficer.sub, name: actors.treasuryOfficer.name }, ['S-1001']);

    for (const status of ['pending', 'accepted', 'rejected']) {
      expect((await inbox(policeMalkhana, `&status=${status}`).expect(200)).body).toEqual({ items: [], nextCursor: null });
    }
    expect((await inbox(actors.treasuryOfficer).expect(200)).body.items.map((t: { transferId: string }) => t.transferId)).toEqual([
      toSunita,
    ]);
    expect((await inbox(actors.treasuryAccountant).expect(200)).body.items).toEqual([]);
    // Any role may ask; an auditor is addressed nothing.
    expect((await inbox(actors.auditor).expect(200)).body.items).toEqual([]);
  });

  it('pages with limit and nextCursor, newest first', async () => {
    // Two pending for the malkhana: `second` (B), and a newer one (C).
    e2e.clock.advance(HOUR);
    const third = randomUUID();
    await start(C, third, [LIQUOR], custodians.malkhana, ['S-1002']);
    const one = await inbox(actors.malkhana, '&limit=1').expect(200);
    expect(one.body.items.map((t: { transferId: string }) => t.transferId)).toEqual([third]);
    expect(typeof one.body.nextCursor).toBe('string');
    const two = await inbox(actors.malkhana, `&limit=1&cursor=${one.body.nextCursor}`).expect(200);
    expect(two.body).toEqual({ items: [expect.objectContaining({ transferId: second })], nextCursor: null });
  });

  it('refuses a caller without a token with 401', async () => {
    const res = await e2e.http().get('/transfers/inbox').expect(401);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it.each([
    ['an unknown status', 'status=open', 'status'],
    ['a limit of 0', 'limit=0', 'limit'],
    ['a limit above 200', 'limit=201', 'limit'],
    ['a limit that is no number', 'limit=ten', 'limit'],
    ['a cursor the API did not issue', 'cursor=not-ours', 'cursor'],
    ['an unknown parameter', 'unit=MK-VNS-EXCISE', 'unit'],
    ['a negative minPosition', 'minPosition=-1', 'minPosition'],
  ])('answers 400 problem+json naming the field for %s', async (_what, query, field) => {
    const res = await e2e
      .http()
      .get(`/transfers/inbox?${query}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.malkhana)}`)
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.body).toMatchObject({ status: 400, type: expect.stringMatching(/validation-failed$/) });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses a cursor issued for another status', async () => {
    const page = await inbox(actors.malkhana, '&limit=1').expect(200);
    const res = await inbox(actors.malkhana, `&status=accepted&cursor=${page.body.nextCursor}`).expect(400);
    expect(res.body.errors).toEqual([{ field: 'cursor', reason: expect.stringContaining('another status') }]);
  });

  it('is in the OpenAPI document with its parameters and response', async () => {
    const { body } = await e2e.http().get('/docs-json').expect(200);
    const operation = body.paths['/transfers/inbox'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['status', 'limit', 'cursor', 'minPosition', 'maxWaitMs']),
    );
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/TransferInboxPageDto' });
    expect(Object.keys(body.components.schemas.InboxTransferDto.properties)).toEqual(
      expect.arrayContaining(['transferId', 'to', 'initiatedAt', 'closedBy']),
    );
  });
});
