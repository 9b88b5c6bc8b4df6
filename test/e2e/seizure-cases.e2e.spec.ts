import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/shared/actor';
import { CASH, actors, recordSeizureCommand } from '../support/custody-fixtures';
import { startE2eApp, type E2eApp } from '../support/e2e-app';

const PROBLEM_JSON = /^application\/problem\+json/;
const HOUR = 3600_000;

/**
 * The cases on a seizure over HTTP, against the real SQLite store: an FIR, the court case it
 * opens, an Income Tax referral and a release dispute open; each is closed by the role that knows,
 * and the seizure then says since when all its cases are closed.
 */
describe('cases on a seizure over HTTP (e2e, SQLite)', () => {
  let e2e: E2eApp;

  beforeAll(async () => {
    e2e = await startE2eApp();
  });
  afterAll(async () => {
    await e2e.close();
  });

  const post = (path: string, actor: Actor, body: object) =>
    e2e
      .http()
      .post(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`)
      .send(body);
  const get = (path: string, actor: Actor) =>
    e2e
      .http()
      .get(path)
      .set('Authorization', `Bearer ${e2e.tokenFor(actor)}`);

  async function recordSeizure(): Promise<string> {
    const seizureId = randomUUID();
    await post('/seizures', actors.flyingSquad, recordSeizureCommand({ seizureId }).data).expect(201);
    return seizureId;
  }

  const firClosure = {
    how: 'closure_report_accepted',
    closedOn: '2024-04-20',
    court: 'CJM Varanasi',
    reference: 'CJM/VNS/2024/901',
    remarks: 'final report accepted; रमेश चंद्र not charged',
  };

  it('opens the cases from FIR, referral and dispute, closes each by its role, and says since when all are closed', async () => {
    const seizureId = await recordSeizure();
    const at = (path: string) => `/seizures/${seizureId}${path}`;
    const disputeId = randomUUID();
    await post(at('/firs'), actors.police, {
      firNumber: '117/2024',
      policeStation: 'Cantt',
      registeredOn: '2024-04-20',
      sections: ['BNS 173'],
    }).expect(200);
    await post(at('/income-tax-referrals'), actors.committee, {
      referenceNumber: 'IT/VNS/2024/7',
      office: 'ITO Varanasi',
      remarks: '',
    }).expect(200);
    await post(at('/release-disputes'), actors.committee, {
      disputeId,
      raisedOn: '2024-04-20',
      itemIds: [CASH],
      grounds: 'a brother claims it',
    }).expect(200);

    const open = await get(at(''), actors.court).expect(200);
    expect(open.body.cases.map((c: { kind: string; closed: unknown }) => [c.kind, c.closed])).toEqual([
      ['fir', null],
      ['court', null],
      ['income_tax', null],
      ['release_dispute', null],
    ]);
    expect(open.body).toMatchObject({ allCasesClosedSince: null, retentionClockStartsAt: null });

    e2e.clock.advance(HOUR);
    const closed = await post(at('/fir-closures'), actors.police, firClosure).expect(200);
    expect(closed.body.events).toEqual([{ eventId: expect.any(String), type: 'FirClosed' }]);
    await post(at('/court-proceedings-disposals'), actors.court, {
      disposedOn: '2024-04-20',
      court: 'CJM Varanasi',
      caseNumber: 'CC 412/2024',
      remarks: '',
    }).expect(200);
    await post(at('/income-tax-proceedings-closures'), actors.incomeTax, {
      closedOn: '2024-04-20',
      orderNumber: 'ITO/77',
      remarks: '',
    }).expect(200);
    e2e.clock.advance(HOUR);
    await post(at(`/release-disputes/${disputeId.toUpperCase()}/resolution`), actors.committee, {
      resolvedOn: '2024-04-20',
      outcome: 'dismissed',
      reference: 'DGC/VNS/2024/40',
      remarks: 'claim not proved',
    }).expect(200);

    const view = await get(at(''), actors.auditor).expect(200);
    expect(view.body.cases.map((c: { kind: string; closed: { type: string } }) => [c.kind, c.closed.type])).toEqual([
      ['fir', 'FirClosed'],
      ['court', 'CourtProceedingsDisposedOf'],
      ['income_tax', 'IncomeTaxProceedingsClosed'],
      ['release_dispute', 'ReleaseDisputeResolved'],
    ]);
    expect(view.body.allCasesClosedSince).toBe(e2e.clock.now());
    // The items are still held: they may yet go back to a named person, so the retention clock waits.
    expect(view.body.retentionClockStartsAt).toBeNull();

    // The free text of a closure is personal data: a custodian's trail withholds it, an officer's shows it.
    const remarksSeenBy = async (actor: Actor) =>
      (await get(at('/events'), actor).expect(200)).body.events.find((e: { type: string }) => e.type === 'FirClosed').data.remarks;
    expect(await remarksSeenBy(actors.malkhana)).toMatchObject({ redacted: true });
    expect(await remarksSeenBy(actors.police)).toBe(firClosure.remarks);
  });

  it('refuses to close an FIR that was never registered: 409 naming the rule, nothing appended', async () => {
    const seizureId = await recordSeizure();
    const before = await e2e.lastPosition();
    const response = await post(`/seizures/${seizureId}/fir-closures`, actors.police, firClosure).expect(409);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.type).toMatch(/\/fir-not-registered$/);
    expect(await e2e.lastPosition()).toBe(before);
  });

  it('answers bad input with 400 naming the field', async () => {
    const seizureId = await recordSeizure();
    const response = await post(`/seizures/${seizureId}/fir-closures`, actors.police, { ...firClosure, how: 'withdrawn' }).expect(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['how']);
    const badDispute = await post(`/seizures/${seizureId}/release-disputes/not-a-uuid/resolution`, actors.committee, {
      resolvedOn: '2024-04-20',
      outcome: 'dismissed',
      reference: 'DGC/40',
      remarks: '',
    }).expect(400);
    expect(badDispute.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it('refuses a role the route does not allow with 403, and an officer not of Income Tax by the rule', async () => {
    const seizureId = await recordSeizure();
    const at = (path: string) => `/seizures/${seizureId}${path}`;
    await post(at('/fir-closures'), actors.committee, firClosure).expect(403);
    await post(at('/court-proceedings-disposals'), actors.police, {
      disposedOn: '2024-04-20',
      court: 'CJM',
      caseNumber: 'CC 1',
      remarks: '',
    }).expect(403);
    await post(at('/release-disputes'), actors.court, {
      disputeId: randomUUID(),
      raisedOn: '2024-04-20',
      itemIds: [CASH],
      grounds: 'x',
    }).expect(403);
    await post(at('/income-tax-referrals'), actors.committee, { referenceNumber: 'IT/1', office: 'ITO', remarks: '' }).expect(200);
    const notIncomeTax = await post(at('/income-tax-proceedings-closures'), actors.police, {
      closedOn: '2024-04-20',
      orderNumber: 'ITO/1',
      remarks: '',
    }).expect(403);
    expect(notIncomeTax.body.type).toMatch(/\/not-income-tax$/);
  });
});
