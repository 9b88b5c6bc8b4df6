import { cashToTreasury, deposited, treasuryAccepted, type History } from '../../custody/commands/seizure-history.test-support';
import type { SeizureCommand } from '../../custody/command';
import type { SeizureView } from '../../custody/http/seizure-view';
import { INCOME_TAX_THRESHOLD_PAISE as SERVER_THRESHOLD } from '../../custody/rules';
import type { RecordedSeizure } from '../../custody/state';
import type { Actor } from '../../shared/actor';
import { actors, CASH, LIQUOR, seizureRecorded } from '../../../test/support/custody-fixtures';
import {
  INCOME_TAX_THRESHOLD_PAISE,
  cashToDepositBy,
  correctableEvents,
  depositsToConfirm,
  disposableBy,
  movableBy,
  releaseAuthority,
  releaseOrderableBy,
  releasesBy,
  transfersAwaiting,
  valuableBy,
} from './eligibility';
import { seen, serverAccepts } from './eligibility.test-support';
import { may, type ActionId } from './permissions';

/**
 * The console's rules of who may act now, checked against the server's own: the view and trail
 * are made by the server's code from stored events, and each rule must agree with what decide()
 * accepts or refuses on the same state.
 */

const HISTORIES: Record<string, History> = {
  'just recorded': [seizureRecorded()],
  'cash in transfer to the treasury': [seizureRecorded(), cashToTreasury],
  'cash accepted by the treasury': [seizureRecorded(), cashToTreasury, treasuryAccepted],
  'cash deposited': [seizureRecorded(), cashToTreasury, treasuryAccepted, deposited],
};
const PEOPLE: Record<string, Actor> = {
  'the seizing officer': actors.flyingSquad,
  'a colleague of the same team': actors.flyingSquadColleague,
  'an officer of another team': actors.otherTeam,
  'the treasury officer': actors.treasuryOfficer,
  'another treasury': actors.otherTreasury,
  'a malkhana custodian': actors.malkhana,
  'a court': actors.court,
};
const ITEMS = [CASH, LIQUOR];

const cases = Object.entries(HISTORIES).flatMap(([h, history]) =>
  Object.entries(PEOPLE).map(([p, actor]) => [h, p, history, actor] as const),
);
const ids = (items: ReadonlyArray<{ itemId: string }>): string[] => items.map((i) => i.itemId).sort();
/** The items the server would let `actor` act on with `command`, one at a time, if their role allows the action at all. */
const acceptedItems = (action: ActionId, actor: Actor, state: RecordedSeizure, command: (itemId: string) => SeizureCommand): string[] =>
  may(actor.roles, action) ? ITEMS.filter((id) => serverAccepts(command(id), state, actor)).sort() : [];

describe('eligibility: the console offers an action exactly where the server would take it', () => {
  it.each(cases)('%s, %s: hand over, value and deposit', (_h, _p, history, actor) => {
    const { view, state } = seen(history, actor);
    const offered = (action: ActionId, items: ReadonlyArray<{ itemId: string }>): string[] => (may(actor.roles, action) ? ids(items) : []);

    expect(offered('initiateTransfer', movableBy(view, actor))).toEqual(
      acceptedItems('initiateTransfer', actor, state, (itemId) => ({
        type: 'InitiateCustodyTransfer',
        data: {
          transferId: 't-new',
          itemIds: [itemId],
          to: { kind: 'person', id: 'u-somebody-else', name: 'Somebody else' },
          sealNumbers: [],
          reason: 'r',
        },
      })),
    );
    expect(offered('depositCash', cashToDepositBy(view, actor))).toEqual(
      acceptedItems('depositCash', actor, state, (itemId) => ({
        type: 'DepositCash',
        data: {
          challanNumber: 'CH-NEW',
          treasury: { id: 'TR-VNS', name: 'District Treasury Varanasi' },
          itemIds: [itemId],
          amountPaise: 1,
          depositedOn: '2024-04-20',
        },
      })),
    );
    // Cash is its own value: the console offers the others only.
    expect(offered('valueItems', valuableBy(view, actor))).toEqual(
      acceptedItems('valueItems', actor, state, (itemId) => ({
        type: 'ValueItems',
        data: { valuations: [{ itemId, valuePaise: 100 }], basis: 'b', reason: 'r' },
      })).filter((id) => id !== CASH),
    );
  });

  it.each(cases)('%s, %s: corrections of the events they recorded', (_h, _p, history, actor) => {
    const { trail, state } = seen(history, actor);
    const correctable = may(actor.roles, 'recordCorrection') ? correctableEvents(trail, actor).map((e) => e.eventId) : [];
    const accepted = may(actor.roles, 'recordCorrection')
      ? trail
          .filter((e) =>
            serverAccepts(
              { type: 'RecordCorrection', data: { correctsEventId: e.eventId, whatWasWrong: 'w', correction: 'c', reason: 'r' } },
              state,
              actor,
            ),
          )
          .map((e) => e.eventId)
      : [];
    expect(correctable).toEqual(accepted);
  });

  it('offers accept and reject only to the recipient a transfer names, while it is open', () => {
    const open = [seizureRecorded(), cashToTreasury];
    expect(transfersAwaiting(seen(open, actors.treasuryOfficer).view, actors.treasuryOfficer).map((t) => t.transferId)).toEqual(['t-1']);
    expect(transfersAwaiting(seen(open, actors.treasuryAccountant).view, actors.treasuryAccountant)).toHaveLength(1);
    for (const other of [actors.flyingSquad, actors.otherTreasury, actors.malkhana])
      expect(transfersAwaiting(seen(open, other).view, other)).toEqual([]);
    const answered = [...open, treasuryAccepted];
    expect(transfersAwaiting(seen(answered, actors.treasuryOfficer).view, actors.treasuryOfficer)).toEqual([]);
  });

  it('offers a deposit for confirmation only at the receiving treasury, and not to whoever made it', () => {
    const history = HISTORIES['cash deposited'];
    expect(depositsToConfirm(seen(history, actors.treasuryAccountant).view, actors.treasuryAccountant).map((d) => d.challanNumber)).toEqual(
      ['CH-88'],
    );
    // The treasury officer made the deposit: a colleague confirms it.
    expect(depositsToConfirm(seen(history, actors.treasuryOfficer).view, actors.treasuryOfficer)).toEqual([]);
    expect(depositsToConfirm(seen(history, actors.otherTreasury).view, actors.otherTreasury)).toEqual([]);
  });

  it('lets a court order release or disposal of anything held; the committee not after an FIR, and disposal of drugs only', () => {
    const { view } = seen(HISTORIES['just recorded'], actors.court);
    expect(releaseAuthority(view, actors.court)).toBe('court');
    expect(releaseAuthority(view, actors.committee)).toBe('dgc');
    expect(releaseAuthority(view, actors.flyingSquad)).toBeNull();
    expect(ids(disposableBy(view, actors.court))).toEqual([CASH, LIQUOR]);
    expect(disposableBy(view, actors.committee)).toEqual([]); // neither item is drugs
    const withFir = { ...view, fir: { firNumber: '1', policeStation: 'Cantt', registeredOn: '2024-04-20', sections: [] } } as SeizureView;
    expect(releaseAuthority(withFir, actors.committee)).toBeNull();
    expect(releaseOrderableBy(withFir, actors.committee)).toEqual([]);
  });

  it('keeps cash above the Income Tax threshold out of release orders until Income Tax clears it', () => {
    expect(INCOME_TAX_THRESHOLD_PAISE).toBe(SERVER_THRESHOLD);
    const { view } = seen(HISTORIES['just recorded'], actors.court);
    expect(view.totals.cashPaise).toBeGreaterThan(INCOME_TAX_THRESHOLD_PAISE);
    expect(ids(releaseOrderableBy(view, actors.court))).toEqual([LIQUOR]);
    const cleared = { ...view, incomeTax: { referenceNumber: 'IT-1', cleared: true } };
    expect(ids(releaseOrderableBy(cleared, actors.court))).toEqual([CASH, LIQUOR]);
  });

  it('offers a release only to the current custodian, under an order valid for the seizure', () => {
    const { view } = seen(HISTORIES['just recorded'], actors.flyingSquad);
    const ordered = {
      ...view,
      releaseOrders: [
        { orderNumber: 'RO-1', authority: 'dgc' as const, itemIds: [LIQUOR], releaseTo: { name: 'R', idDocument: null }, ordinal: 1 },
      ],
    };
    expect(ids(releasesBy(ordered, actors.flyingSquad).items)).toEqual([LIQUOR]);
    expect(releasesBy(ordered, actors.treasuryOfficer)).toEqual({ orders: [], items: [] });
    const afterFir = {
      ...ordered,
      fir: { firNumber: '1', policeStation: 'Cantt', registeredOn: '2024-04-20', sections: [] },
    } as SeizureView;
    expect(releasesBy(afterFir, actors.flyingSquad).orders).toEqual([]);
  });
});
