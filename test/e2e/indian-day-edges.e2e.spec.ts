import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/shared/actor';
import { CASH, LIQUOR, actors, custodians, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

const HOUR_MS = 3_600_000;

/**
 * The whole life of a seizure at the edges of the Indian day, with the server's clock on UTC:
 * either side of Indian midnight (23:59 and 00:01 IST) and either side of UTC midnight (05:29
 * and 05:31 IST). At 00:01 and 05:29 IST the UTC date is still the day before, so a day taken
 * from a UTC timestamp would refuse today's date and count the seizure on yesterday.
 *
 * The expected days and instants are written out, not computed with the helpers under test.
 */
const EDGES = [
  {
    ist: '23:59 IST',
    now: '2024-04-19T18:29:00.000Z',
    today: '2024-04-19',
    yesterday: '2024-04-18',
    tomorrow: '2024-04-20',
    pollDay: '2024-04-12',
    endOfToday: '2024-04-19T18:30:00.000Z',
    in24h: '2024-04-20T18:29:00.000Z',
  },
  {
    ist: '00:01 IST',
    now: '2024-04-19T18:31:00.000Z',
    today: '2024-04-20',
    yesterday: '2024-04-19',
    tomorrow: '2024-04-21',
    pollDay: '2024-04-13',
    endOfToday: '2024-04-20T18:30:00.000Z',
    in24h: '2024-04-20T18:31:00.000Z',
  },
  {
    ist: '05:29 IST',
    now: '2024-04-19T23:59:00.000Z',
    today: '2024-04-20',
    yesterday: '2024-04-19',
    tomorrow: '2024-04-21',
    pollDay: '2024-04-13',
    endOfToday: '2024-04-20T18:30:00.000Z',
    in24h: '2024-04-20T23:59:00.000Z',
  },
  {
    ist: '05:31 IST',
    now: '2024-04-20T00:01:00.000Z',
    today: '2024-04-20',
    yesterday: '2024-04-19',
    tomorrow: '2024-04-21',
    pollDay: '2024-04-13',
    endOfToday: '2024-04-20T18:30:00.000Z',
    in24h: '2024-04-21T00:01:00.000Z',
  },
];

describe.each(EDGES)('a seizure’s life at $ist ($now), the server on UTC (e2e, SQLite)', (edge) => {
  let e2e: E2eApp;
  const seizureId = randomUUID();
  const cashTransfer = randomUUID();
  const at = (path = '') => `/seizures/${seizureId}${path}`;

  const post = (path: string, actor: Actor, body: object) =>
    e2e
      .http()
      .post(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .send(body);
  /** A read that waits for everything written so far. */
  const read = async (path: string, actor: Actor = actors.committee) => {
    const minPosition = await e2e.lastPosition();
    return e2e
      .http()
      .get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${minPosition}`)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .expect(200);
  };
  /** Tomorrow (IST) is refused with 400 naming the field; today (IST) is accepted. */
  const refusedTomorrowAcceptedToday = async (path: string, actor: Actor, field: string, body: (day: string) => object) => {
    const refused = await post(path, actor, body(edge.tomorrow)).expect(400);
    expect(refused.body.type).toMatch(/\/date-in-future$/);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field })]);
    await post(path, actor, body(edge.today)).expect(200);
  };

  beforeAll(async () => {
    // The clock never moves: every step happens at the edge instant, so "today" is one day throughout.
    // Statements carry a signed tree head; a short interval keeps them from waiting for one.
    e2e = await startE2eApp({ clockStart: edge.now, env: { TREE_HEAD_INTERVAL_SECONDS: '1' } });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('records a seizure seized this very minute, after a poll held seven Indian days ago', async () => {
    const seizure = recordSeizureCommand({
      seizureId,
      memoNumber: `FS3/VNS/2024/${edge.ist.slice(0, 5).replace(':', '')}`,
      seizedAt: edge.now,
      election: { ...recordSeizureCommand().data.election, pollDate: edge.pollDay },
    }).data;
    await post('/seizures', actors.flyingSquad, seizure).expect(201);
  });

  it('hands the cash to the treasury, due to be answered exactly 24 hours after it was started', async () => {
    await post(at('/transfers'), actors.flyingSquad, {
      transferId: cashTransfer,
      itemIds: [CASH],
      to: custodians.treasury,
      sealNumbers: ['S-1001'],
      reason: 'cash to the district treasury',
    }).expect(200);
    const trail = await read(at('/events'), actors.court);
    const initiated = trail.body.events.find((e: { type: string }) => e.type === 'CustodyTransferInitiated');
    expect(initiated.metadata.occurredAt).toBe(edge.now);
  });

  it('watches the deadlines: held until the end of the 7th Indian day after the poll, referral and acceptance 24 hours from their instants', async () => {
    const report = await read('/deadlines?includeUpcoming=true');
    expect(report.body.asOf).toBe(edge.now);
    const byKind = Object.fromEntries(report.body.deadlines.map((d: { kind: string }) => [d.kind, d]));
    // Poll day + 7 is today; it ends at 00:00 IST tomorrow (18:30 UTC), not at a UTC midnight.
    expect(byKind.held_after_poll).toMatchObject({ status: 'upcoming', dueAt: edge.endOfToday, election: { pollDate: edge.pollDay } });
    expect(byKind.held_after_poll.overdueBy.seconds).toBe((Date.parse(edge.now) - Date.parse(edge.endOfToday)) / 1000);
    expect(byKind.income_tax_referral).toMatchObject({ status: 'upcoming', dueAt: edge.in24h, seizedAt: edge.now });
    expect(byKind.transfer_acceptance).toMatchObject({
      status: 'upcoming',
      dueAt: edge.in24h,
      initiatedAt: edge.now,
      transferId: cashTransfer,
    });
    expect(Date.parse(byKind.transfer_acceptance.dueAt) - Date.parse(byKind.transfer_acceptance.initiatedAt)).toBe(24 * HOUR_MS);
    expect(byKind.transfer_acceptance.overdueBy).toEqual({ seconds: -24 * 3600, text: 'due in 1 day' });
  });

  it('the treasury accepts the cash and deposits it dated today (IST), the console’s default; tomorrow is refused', async () => {
    await post(at(`/transfers/${cashTransfer}/accept`), actors.treasuryOfficer, {
      seals: [{ number: 'S-1001', condition: 'intact' }],
      countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
      remarks: 'counted by machine',
    }).expect(200);
    const deposit = (day: string) => ({
      challanNumber: `CH-${day}`,
      treasury: { id: 'TR-VNS', name: 'District Treasury Varanasi' },
      itemIds: [CASH],
      amountPaise: 125_000_000,
      depositedOn: day,
    });
    await refusedTomorrowAcceptedToday(at('/deposits'), actors.treasuryOfficer, 'depositedOn', deposit);
    await post(at(`/deposits/CH-${edge.today}/confirm`), actors.treasuryAccountant, {
      confirmedAmountPaise: 125_000_000,
      remarks: 'credited',
    }).expect(200);
  });

  it('registers an FIR dated today (IST); tomorrow is refused', async () => {
    const fir = (day: string) => ({
      firNumber: `112/${day}`,
      policeStation: 'Cantt, Varanasi',
      registeredOn: day,
      sections: ['60 UP Excise Act'],
    });
    await refusedTomorrowAcceptedToday(at('/firs'), actors.police, 'registeredOn', fir);
  });

  it('the court orders the cash released today (IST), as an FIR is registered, and it is released; an order dated tomorrow is refused', async () => {
    await post(at('/income-tax-referrals'), actors.flyingSquad, {
      referenceNumber: 'IT/VNS/2024/31',
      office: 'Income Tax nodal officer, Varanasi',
      remarks: 'above Rs 10 lakh',
    }).expect(200);
    await post(at('/income-tax-clearances'), actors.incomeTax, {
      clearanceNumber: 'IT-CLR-55',
      remarks: 'returns filed; no action',
    }).expect(200);
    const order = (day: string) => ({
      orderNumber: `CJM/VNS/R/${day}`,
      orderedOn: day,
      itemIds: [CASH],
      releaseTo: { name: 'रमेश चंद्र' },
      reasons: 'Cash not case property; business receipts of the day',
    });
    await refusedTomorrowAcceptedToday(at('/release-orders'), actors.court, 'orderedOn', order);
    await post(at('/releases'), actors.treasuryOfficer, {
      orderNumber: `CJM/VNS/R/${edge.today}`,
      itemIds: [CASH],
      releasedTo: { name: 'रमेश चंद्र', idDocument: { type: 'aadhaar', number: 'XXXX-XXXX-4321' } },
      identityChecked: true,
      remarks: 'released against receipt',
    }).expect(200);
  });

  it('the court orders the liquor destroyed today (IST); an order dated tomorrow is refused', async () => {
    const disposal = (day: string) => ({
      orderNumber: `CJM/VNS/${day}`,
      orderedOn: day,
      method: 'destroyed',
      itemIds: [LIQUOR],
      remarks: 'destroyed before the magistrate',
    });
    await refusedTomorrowAcceptedToday(at('/disposals'), actors.court, 'orderedOn', disposal);
    const state = await e2e
      .http()
      .get(at())
      .set('Authorization', `Bearer ${e2e.tokenFor(actors.court)}`)
      .expect(200);
    const items = Object.fromEntries(state.body.items.map((i: { itemId: string }) => [i.itemId, i]));
    expect([items[CASH].disposition, items[LIQUOR].disposition]).toEqual(['released', 'disposed']);
  });

  it('the statement counts the seizure on its Indian day, which is today’s when no date is given', async () => {
    const figures = async (query: string) => (await read(`/statements/seizures?groupBy=district${query}`, actors.flyingSquad)).body;
    const today = await figures('');
    expect(today.date).toBe(edge.today);
    expect(today.total).toMatchObject({ day: { seizures: 1, totalValuePaise: 129_800_000 }, cumulative: { seizures: 1 } });
    expect((await figures(`&date=${edge.yesterday}`)).total).toMatchObject({ day: { seizures: 0 }, cumulative: { seizures: 0 } });
    expect((await figures(`&date=${edge.tomorrow}`)).total).toMatchObject({ day: { seizures: 0 }, cumulative: { seizures: 1 } });
  });

  it('search by date finds the seizure on its Indian day only', async () => {
    const hits = async (query: string) =>
      (await read(`/seizures?${query}`, actors.flyingSquad)).body.items.map((h: { seizureId: string }) => h.seizureId);
    expect(await hits(`seizedAtFrom=${edge.today}&seizedAtTo=${edge.today}`)).toEqual([seizureId]);
    expect(await hits(`seizedAtTo=${edge.yesterday}`)).toEqual([]);
    expect(await hits(`seizedAtFrom=${edge.tomorrow}`)).toEqual([]);
  });
});
