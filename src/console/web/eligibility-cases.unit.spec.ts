import { cleared, dgcOrder, fir, recorded, referred, type History } from '../../custody/commands/seizure-history.test-support';
import type { SeizureCommand } from '../../custody/command';
import type { Actor } from '../../shared/actor';
import { actors, CASH, LIQUOR } from '../../../test/support/custody-fixtures';
import { disputableBy, disputesToResolve, mayCloseFir, mayCloseIncomeTaxProceedings, mayDisposeOfCourtProceedings } from './eligibility';
import { seen, serverAccepts } from './eligibility.test-support';
import { may } from './permissions';

/**
 * Who the console offers the end of a case to, and when, against the server's own decide() on the
 * same stored history: the FIR closed (an officer, while the FIR's case is open), court proceedings
 * disposed of (the court, while some are open), Income Tax proceedings closed (an Income Tax
 * officer, after a referral, once), release disputes raised (the committee, over any item) and
 * resolved (the committee, each open dispute once).
 */

const DISPUTE = '6f1c2b7a-0d4e-4a8b-9c3d-1e2f3a4b5c6d';
const SECOND_DISPUTE = '7a2d3c8b-1e5f-4b9c-8d4e-2f3a4b5c6d7e';
const NEW_DISPUTE = '8b3e4d9c-2f6a-4c0d-9e5f-3a4b5c6d7e8f';

const closeFir: SeizureCommand = {
  type: 'CloseFir',
  data: { how: 'trial_ended', closedOn: '2024-04-20', court: 'CJM Varanasi', reference: 'CJM/VNS/2024/901', remarks: '' },
};
const disposeOfCourtProceedings: SeizureCommand = {
  type: 'DisposeOfCourtProceedings',
  data: { disposedOn: '2024-04-20', court: 'CJM Varanasi', caseNumber: 'CC 412/2024', remarks: '' },
};
const closeIncomeTax: SeizureCommand = {
  type: 'CloseIncomeTaxProceedings',
  data: { closedOn: '2024-04-20', orderNumber: 'ITO/W2/2024/77', remarks: '' },
};
const raise = (disputeId: string, itemIds: string[]): SeizureCommand => ({
  type: 'RaiseReleaseDispute',
  data: { disputeId, raisedOn: '2024-04-20', itemIds, grounds: 'a brother claims the cash is his' },
});
const resolve = (disputeId: string): SeizureCommand => ({
  type: 'ResolveReleaseDispute',
  data: { disputeId, resolvedOn: '2024-04-20', outcome: 'dismissed', reference: 'DGC/VNS/2024/40', remarks: '' },
});

const firClosed = { type: 'FirClosed' as const, data: { firNumber: '112/2024', ...closeFir.data } as never };
const courtDisposed = { type: 'CourtProceedingsDisposedOf' as const, data: disposeOfCourtProceedings.data as never };
const incomeTaxClosed = { type: 'IncomeTaxProceedingsClosed' as const, data: { referenceNumber: 'IT-1', ...closeIncomeTax.data } as never };
const disputeRaised = (id: string) => ({ type: 'ReleaseDisputeRaised' as const, data: raise(id, [CASH]).data as never });
const disputeResolved = (id: string) => ({ type: 'ReleaseDisputeResolved' as const, data: resolve(id).data as never });
const courtOrder = { ...dgcOrder([LIQUOR]), data: { ...dgcOrder([LIQUOR]).data, orderNumber: 'CJM-1', authority: 'court' as const } };

const HISTORIES: Record<string, History> = {
  'just recorded': [recorded],
  'an FIR registered': [recorded, fir],
  'the FIR closed, the court not yet done': [recorded, fir, firClosed],
  'the FIR closed and the court done': [recorded, fir, firClosed, courtDisposed],
  'a court order without an FIR': [recorded, courtOrder],
  'referred to Income Tax': [recorded, referred],
  'cleared by Income Tax, proceedings going on': [recorded, referred, cleared],
  'Income Tax proceedings closed': [recorded, referred, incomeTaxClosed],
  'a dispute raised': [recorded, disputeRaised(DISPUTE)],
  'a dispute resolved, another raised': [recorded, disputeRaised(DISPUTE), disputeResolved(DISPUTE), disputeRaised(SECOND_DISPUTE)],
  'every dispute resolved': [recorded, disputeRaised(DISPUTE), disputeResolved(DISPUTE)],
};
const PEOPLE: Record<string, Actor> = {
  'the seizing officer': actors.flyingSquad,
  'the police station': actors.police,
  'an Income Tax officer': actors.incomeTax,
  'the committee': actors.committee,
  'a court': actors.court,
  'the treasury': actors.treasuryOfficer,
  'a malkhana custodian': actors.malkhana,
  'an auditor': actors.auditor,
  'an administrator': actors.admin,
};
const table = Object.entries(HISTORIES).flatMap(([h, history]) =>
  Object.entries(PEOPLE).map(([p, actor]) => [h, p, history, actor] as const),
);

describe('eligibility of the case commands: offered exactly where the server would take them', () => {
  it.each(table)('%s, %s: FIR closed, court proceedings disposed of, Income Tax proceedings closed', (_h, _p, history, actor) => {
    const { view, state } = seen(history, actor);
    expect({
      closeFir: may(actor.roles, 'closeFir') && mayCloseFir(view, actor),
      disposeOfCourtProceedings: may(actor.roles, 'disposeOfCourtProceedings') && mayDisposeOfCourtProceedings(view, actor),
      closeIncomeTaxProceedings: may(actor.roles, 'closeIncomeTaxProceedings') && mayCloseIncomeTaxProceedings(view, actor),
    }).toEqual({
      closeFir: may(actor.roles, 'closeFir') && serverAccepts(closeFir, state, actor),
      disposeOfCourtProceedings: may(actor.roles, 'disposeOfCourtProceedings') && serverAccepts(disposeOfCourtProceedings, state, actor),
      closeIncomeTaxProceedings: may(actor.roles, 'closeIncomeTaxProceedings') && serverAccepts(closeIncomeTax, state, actor),
    });
  });

  it.each(table)('%s, %s: release disputes raised and resolved', (_h, _p, history, actor) => {
    const { view, state } = seen(history, actor);
    const offeredItems = may(actor.roles, 'raiseReleaseDispute') ? disputableBy(view, actor).map((i) => i.itemId) : [];
    const acceptedItems = may(actor.roles, 'raiseReleaseDispute')
      ? [CASH, LIQUOR].filter((id) => serverAccepts(raise(NEW_DISPUTE, [id]), state, actor))
      : [];
    expect(offeredItems.sort()).toEqual(acceptedItems.sort());
    const offeredDisputes = may(actor.roles, 'resolveReleaseDispute') ? disputesToResolve(view, actor).map((d) => d.reference) : [];
    const acceptedDisputes = may(actor.roles, 'resolveReleaseDispute')
      ? [DISPUTE, SECOND_DISPUTE].filter((id) => serverAccepts(resolve(id), state, actor))
      : [];
    expect(offeredDisputes).toEqual(acceptedDisputes);
  });

  it('offers each case command somewhere: the table above is not vacuous', () => {
    const offeredAnywhere = (rule: (history: History, actor: Actor) => boolean): boolean =>
      Object.values(HISTORIES).some((history) => Object.values(PEOPLE).some((actor) => rule(history, actor)));
    expect(offeredAnywhere((h, a) => mayCloseFir(seen(h, a).view, a))).toBe(true);
    expect(offeredAnywhere((h, a) => mayDisposeOfCourtProceedings(seen(h, a).view, a))).toBe(true);
    expect(offeredAnywhere((h, a) => mayCloseIncomeTaxProceedings(seen(h, a).view, a))).toBe(true);
    expect(offeredAnywhere((h, a) => disputesToResolve(seen(h, a).view, a).length > 0)).toBe(true);
  });

  it('closes the FIR only while its case is open, and only by an officer', () => {
    expect(mayCloseFir(seen([recorded], actors.police).view, actors.police)).toBe(false);
    expect(mayCloseFir(seen([recorded, fir], actors.police).view, actors.police)).toBe(true);
    expect(mayCloseFir(seen([recorded, fir], actors.court).view, actors.court)).toBe(false);
    expect(mayCloseFir(seen([recorded, fir, firClosed], actors.police).view, actors.police)).toBe(false);
  });

  it('leaves court proceedings open after the FIR closes, for the court to dispose of', () => {
    const afterFir = seen([recorded, fir, firClosed], actors.court).view;
    expect(mayDisposeOfCourtProceedings(afterFir, actors.court)).toBe(true);
    expect(mayDisposeOfCourtProceedings(seen([recorded], actors.court).view, actors.court)).toBe(false);
    expect(mayDisposeOfCourtProceedings(seen([recorded, courtOrder], actors.court).view, actors.court)).toBe(true);
  });

  it('closes Income Tax proceedings by an Income Tax officer after a referral, a clearance or not, once', () => {
    expect(mayCloseIncomeTaxProceedings(seen([recorded, referred, cleared], actors.incomeTax).view, actors.incomeTax)).toBe(true);
    expect(mayCloseIncomeTaxProceedings(seen([recorded, referred], actors.flyingSquad).view, actors.flyingSquad)).toBe(false);
    expect(mayCloseIncomeTaxProceedings(seen([recorded], actors.incomeTax).view, actors.incomeTax)).toBe(false);
    expect(mayCloseIncomeTaxProceedings(seen([recorded, referred, incomeTaxClosed], actors.incomeTax).view, actors.incomeTax)).toBe(false);
  });

  it('lets the committee resolve each open dispute, and no other', () => {
    const history = HISTORIES['a dispute resolved, another raised'];
    expect(disputesToResolve(seen(history, actors.committee).view, actors.committee).map((d) => d.reference)).toEqual([SECOND_DISPUTE]);
    expect(disputesToResolve(seen(history, actors.court).view, actors.court)).toEqual([]);
    expect(disputableBy(seen(history, actors.court).view, actors.court)).toEqual([]);
  });
});
