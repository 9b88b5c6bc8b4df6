import { randomUUID } from 'node:crypto';
import { CASH, LIQUOR, SEIZURE_ID, actors, custodians, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

const PROBLEM_JSON = /^application\/problem\+json/;
const HOUR = 3600_000;

/**
 * The life of one seizure over HTTP against the real SQLite store: a flying squad seizes
 * Rs 12,50,000 cash and 48 litres of liquor; the cash goes to the treasury, is deposited,
 * confirmed, cleared by Income Tax and released by the DGC; the liquor goes to the excise
 * malkhana, an FIR is registered and a court orders its destruction.
 */
describe('seizure custody over HTTP (e2e, SQLite)', () => {
  let e2e: E2eApp;
  const cashTransfer = randomUUID();
  const liquorTransfer = randomUUID();

  beforeAll(async () => {
    e2e = await startE2eApp();
  });
  afterAll(async () => {
    await e2e.close();
  });

  const post = (path: string, actor: (typeof actors)[keyof typeof actors], body: object) =>
    e2e
      .http()
      .post(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .send(body);
  const get = (path: string, actor: (typeof actors)[keyof typeof actors]) =>
    e2e
      .http()
      .get(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`);
  const at = (path = '') => `/seizures/${SEIZURE_ID}${path}`;

  it('walks the whole chain of custody, and the trail reads every step back', async () => {
    const seizure = recordSeizureCommand().data;
    const recorded = await post('/seizures', actors.flyingSquad, seizure).expect(201);
    expect(recorded.headers.location).toBe(`/seizures/${SEIZURE_ID}`);
    expect(recorded.headers.etag).toBe('"0"');
    expect(recorded.body).toMatchObject({ seizureId: SEIZURE_ID, revision: 0, events: [{ type: 'SeizureRecorded' }] });
    expect(recorded.body.globalPosition).toBeGreaterThan(0);

    e2e.clock.advance(2 * HOUR);
    await post(at('/transfers'), actors.flyingSquad, {
      transferId: cashTransfer,
      itemIds: [CASH],
      to: custodians.treasury,
      sealNumbers: ['S-1001'],
      reason: 'cash to the district treasury',
    }).expect(200);
    e2e.clock.advance(HOUR);
    await post(at(`/transfers/${cashTransfer}/accept`), actors.treasuryOfficer, {
      seals: [{ number: 'S-1001', condition: 'intact' }],
      countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
      remarks: 'counted by machine, 2500 notes',
    }).expect(200);
    e2e.clock.advance(HOUR);
    await post(at('/deposits'), actors.treasuryOfficer, {
      challanNumber: 'CH-2024-88',
      treasury: { id: 'TR-VNS', name: 'District Treasury Varanasi' },
      itemIds: [CASH],
      amountPaise: 125_000_000,
      depositedOn: '2024-04-20',
    }).expect(200);
    await post(at('/deposits/CH-2024-88/confirm'), actors.treasuryAccountant, {
      confirmedAmountPaise: 125_000_000,
      remarks: 'credited to the deposit head',
    }).expect(200);

    await post(at('/income-tax-referrals'), actors.flyingSquad, {
      referenceNumber: 'IT/VNS/2024/31',
      office: 'Income Tax nodal officer, Varanasi',
      remarks: 'above Rs 10 lakh',
    }).expect(200);
    // Before clearance the committee cannot release cash above Rs 10 lakh.
    const early = await post(at('/release-orders'), actors.committee, {
      orderNumber: 'DGC-VNS-7',
      orderedOn: '2024-04-20',
      itemIds: [CASH],
      releaseTo: { name: 'रमेश चंद्र' },
      reasons: 'No FIR; cash proved to be business receipts of the day',
    }).expect(409);
    expect(early.body.type).toMatch(/\/income-tax-clearance-required$/);
    await post(at('/income-tax-clearances'), actors.incomeTax, {
      clearanceNumber: 'IT-CLR-55',
      remarks: 'returns filed; no action',
    }).expect(200);
    await post(at('/release-orders'), actors.committee, {
      orderNumber: 'DGC-VNS-7',
      orderedOn: '2024-04-20',
      itemIds: [CASH],
      releaseTo: { name: 'रमेश चंद्र' },
      reasons: 'No FIR; cash proved to be business receipts of the day',
    }).expect(200);
    await post(at('/releases'), actors.treasuryOfficer, {
      orderNumber: 'DGC-VNS-7',
      itemIds: [CASH],
      releasedTo: { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' } },
      identityChecked: true,
      remarks: 'released against receipt',
    }).expect(200);

    // The liquor: to the excise malkhana, FIR, court-ordered destruction.
    await post(at('/transfers'), actors.flyingSquad, {
      transferId: liquorTransfer,
      itemIds: [LIQUOR],
      to: custodians.malkhana,
      sealNumbers: ['S-1002', 'S-1003'],
      reason: 'case property',
    }).expect(200);
    await post(at(`/transfers/${liquorTransfer}/accept`), actors.malkhana, {
      seals: [
        { number: 'S-1002', condition: 'intact' },
        { number: 'S-1003', condition: 'intact' },
      ],
      countedQuantities: [{ itemId: LIQUOR, quantity: 48_000 }],
      remarks: '64 bottles',
    }).expect(200);
    await post(at('/firs'), actors.police, {
      firNumber: '112/2024',
      policeStation: 'Cantt, Varanasi',
      registeredOn: '2024-04-20',
      sections: ['60 UP Excise Act'],
    }).expect(200);
    const byCommittee = await post(at('/disposals'), actors.committee, {
      orderNumber: 'DDC-1',
      orderedOn: '2024-04-20',
      method: 'destroyed',
      itemIds: [LIQUOR],
      remarks: '',
    }).expect(409);
    expect(byCommittee.body.type).toMatch(/\/court-order-required$/);
    e2e.clock.advance(24 * HOUR);
    await post(at('/disposals'), actors.court, {
      orderNumber: 'CJM/VNS/2024/55',
      orderedOn: '2024-04-21',
      method: 'destroyed',
      itemIds: [LIQUOR],
      remarks: 'destroyed before the magistrate',
    }).expect(200);

    // The state shows where everything ended up.
    const state = await get(at(), actors.flyingSquad).expect(200);
    expect(state.headers.etag).toBe(`"${state.body.revision}"`);
    const items = Object.fromEntries(state.body.items.map((i: { itemId: string }) => [i.itemId, i]));
    expect(items[CASH]).toMatchObject({ custodian: custodians.treasury, disposition: 'released', depositChallan: 'CH-2024-88' });
    expect(items[LIQUOR]).toMatchObject({ custodian: custodians.malkhana, disposition: 'disposed' });
    expect(state.body.deposits).toEqual([expect.objectContaining({ challanNumber: 'CH-2024-88', status: 'confirmed' })]);
    expect(state.body.incomeTax).toEqual({ referenceNumber: 'IT/VNS/2024/31', cleared: true });

    // The trail: every step's actor, time and seals, with an unbroken chain.
    const trail = await get(at('/events'), actors.court).expect(200);
    const steps = trail.body.events.map((e: { type: string; metadata: { actor: { sub: string }; occurredAt: string } }) => [
      e.type,
      e.metadata.actor.sub,
      e.metadata.occurredAt,
    ]);
    expect(steps).toEqual([
      ['SeizureRecorded', actors.flyingSquad.sub, '2024-04-20T06:00:00.000Z'],
      ['CustodyTransferInitiated', actors.flyingSquad.sub, '2024-04-20T08:00:00.000Z'],
      ['CustodyTransferAccepted', actors.treasuryOfficer.sub, '2024-04-20T09:00:00.000Z'],
      ['CashDeposited', actors.treasuryOfficer.sub, '2024-04-20T10:00:00.000Z'],
      ['DepositConfirmed', actors.treasuryAccountant.sub, '2024-04-20T10:00:00.000Z'],
      ['ReferredToIncomeTax', actors.flyingSquad.sub, '2024-04-20T10:00:00.000Z'],
      ['IncomeTaxCleared', actors.incomeTax.sub, '2024-04-20T10:00:00.000Z'],
      ['ReleaseOrdered', actors.committee.sub, '2024-04-20T10:00:00.000Z'],
      ['ItemsReleased', actors.treasuryOfficer.sub, '2024-04-20T10:00:00.000Z'],
      ['CustodyTransferInitiated', actors.flyingSquad.sub, '2024-04-20T10:00:00.000Z'],
      ['CustodyTransferAccepted', actors.malkhana.sub, '2024-04-20T10:00:00.000Z'],
      ['FirRegistered', actors.police.sub, '2024-04-20T10:00:00.000Z'],
      ['ItemsDisposed', actors.court.sub, '2024-04-21T10:00:00.000Z'],
    ]);
    const accepted = trail.body.events.filter((e: { type: string }) => e.type === 'CustodyTransferAccepted');
    expect(
      accepted.map((e: { data: { seals: unknown[]; to: { id: string } }; metadata: { schemaVersion: number } }) => [
        e.data.to.id,
        e.data.seals,
        e.metadata.schemaVersion,
      ]),
    ).toEqual([
      ['TR-VNS', [{ number: 'S-1001', condition: 'intact' }], 3],
      [
        'MK-VNS-EXCISE',
        [
          { number: 'S-1002', condition: 'intact' },
          { number: 'S-1003', condition: 'intact' },
        ],
        3,
      ],
    ]);
    const initiated = trail.body.events.filter((e: { type: string }) => e.type === 'CustodyTransferInitiated');
    expect(initiated.map((e: { data: { sealNumbers: string[] } }) => e.data.sealNumbers)).toEqual([['S-1001'], ['S-1002', 'S-1003']]);
    for (let i = 1; i < trail.body.events.length; i++) expect(trail.body.events[i].prevHash).toBe(trail.body.events[i - 1].hash);
    expect((await e2e.store.verifyStream(`seizure-${SEIZURE_ID}`)).ok).toBe(true);
  });

  it('shows the person seized from only to roles that act on the case', async () => {
    const asCourt = await get(at(), actors.court).expect(200);
    expect(asCourt.body.seizedFrom.name).toBe('रमेश चंद्र');
    const asTreasury = await get(at(), actors.treasuryOfficer).expect(200);
    expect(asTreasury.body.seizedFrom).toEqual({ redacted: true, reason: expect.any(String) });
    expect(asTreasury.body.witnesses).toMatchObject({ redacted: true });
    const trail = await get(at('/events'), actors.treasuryOfficer).expect(200);
    expect(trail.body.events[0]).toMatchObject({ redacted: true, data: { seizedFrom: { redacted: true } } });
    expect(JSON.stringify(trail.body)).not.toContain('XXXX-XXXX-4321');
  });

  it('refuses reads outside the caller’s jurisdiction and of unknown seizures', async () => {
    const out = await get(at(), actors.outOfDistrict).expect(403);
    expect(out.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(out.body.type).toMatch(/\/out-of-scope$/);
    await get(at('/events'), actors.outOfDistrict).expect(403);
    const missing = await get(`/seizures/${randomUUID()}`, actors.flyingSquad).expect(404);
    expect(missing.body.type).toMatch(/\/seizure-not-found$/);
    await get('/seizures/not-a-uuid', actors.flyingSquad).expect(400);
  });

  it('honours If-Match: a stale revision is 412 and changes nothing; the current one is accepted', async () => {
    const id = randomUUID();
    await post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId: id, memoNumber: 'M-IFM' }).data).expect(201);
    await post(`/seizures/${id}/valuations`, actors.flyingSquad, {
      valuations: [{ itemId: LIQUOR, valuePaise: 5_000_000 }],
      basis: 'MRP',
      reason: 'first',
    }).expect(200);
    const before = await e2e.lastPosition();
    const stale = await post(`/seizures/${id}/valuations`, actors.flyingSquad, {
      valuations: [{ itemId: LIQUOR, valuePaise: 5_100_000 }],
      basis: 'MRP',
      reason: 'second',
    })
      .set('If-Match', '"0"')
      .expect(412);
    expect(stale.body.type).toMatch(/\/stale-revision$/);
    expect(await e2e.lastPosition()).toBe(before);
    const ok = await post(`/seizures/${id}/valuations`, actors.flyingSquad, {
      valuations: [{ itemId: LIQUOR, valuePaise: 5_100_000 }],
      basis: 'MRP',
      reason: 'second',
    })
      .set('If-Match', '"1"')
      .expect(200);
    expect(ok.headers.etag).toBe('"2"');
    await post(`/seizures/${id}/valuations`, actors.flyingSquad, {
      valuations: [{ itemId: LIQUOR, valuePaise: 1 }],
      basis: 'x',
      reason: 'y',
    })
      .set('If-Match', 'garbage')
      .expect(412);
  });

  it('of two recipients racing to accept one transfer, exactly one succeeds', async () => {
    const id = randomUUID();
    const transferId = randomUUID();
    await post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId: id, memoNumber: 'M-RACE' }).data).expect(201);
    await post(`/seizures/${id}/transfers`, actors.flyingSquad, {
      transferId,
      itemIds: [CASH],
      to: custodians.treasury,
      sealNumbers: ['S-1001'],
      reason: 'deposit',
    }).expect(200);
    const accept = {
      seals: [{ number: 'S-1001', condition: 'intact' }],
      countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
      remarks: '',
    };
    const results = await Promise.all(
      [actors.treasuryOfficer, actors.treasuryAccountant, actors.treasuryOfficer].map((a) =>
        post(`/seizures/${id}/transfers/${transferId}/accept`, a, accept),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const lost of results.filter((r) => r.status === 409))
      expect(lost.body.type).toMatch(/\/(transfer-not-open|concurrent-modification)$/);
    const trail = await get(`/seizures/${id}/events`, actors.flyingSquad).expect(200);
    expect(trail.body.events.filter((e: { type: string }) => e.type === 'CustodyTransferAccepted')).toHaveLength(1);
  });

  it('a field device retrying the same record gets 200 and nothing new; another memo on the same id is 409', async () => {
    const id = randomUUID();
    const body = recordSeizureCommand({ seizureId: id, memoNumber: 'M-RETRY' }).data;
    await post('/seizures', actors.flyingSquad, body).expect(201);
    const before = await e2e.lastPosition();
    const again = await post('/seizures', actors.flyingSquad, body).expect(200);
    expect(again.body.events).toEqual([]);
    expect(await e2e.lastPosition()).toBe(before);
    const clash = await post('/seizures', actors.flyingSquad, { ...body, memoNumber: 'OTHER' }).expect(409);
    expect(clash.body.type).toMatch(/\/seizure-already-recorded$/);
  });

  it('the same Idempotency-Key five times appends once, in a row or all at once; another body under it is 422', async () => {
    const id = randomUUID();
    await post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId: id, memoNumber: 'M-IDEM' }).data).expect(201);
    const valuation = { valuations: [{ itemId: LIQUOR, valuePaise: 5_000_000 }], basis: 'MRP', reason: 'official rate' };
    const send = (key: string, body: object = valuation) =>
      post(`/seizures/${id}/valuations`, actors.flyingSquad, body).set('Idempotency-Key', key);

    const before = await e2e.lastPosition();
    const sequential = [];
    for (let i = 0; i < 5; i++) sequential.push(await send('valuation-1'));
    expect(sequential.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(sequential.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(sequential.slice(1).every((r) => r.headers['idempotent-replayed'] === 'true')).toBe(true);
    expect(await e2e.lastPosition()).toBe(before + 1);

    const together = await Promise.all(Array.from({ length: 5 }, () => send('valuation-2', { ...valuation, reason: 'second rate' })));
    const statuses = together.map((r) => r.status);
    // One runs; the others either replay it or are told the key is busy (409) and may retry.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(await e2e.lastPosition()).toBe(before + 2);

    const reused = await send('valuation-1', { ...valuation, reason: 'something else' }).expect(422);
    expect(reused.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(await e2e.lastPosition()).toBe(before + 2);
  });
});
