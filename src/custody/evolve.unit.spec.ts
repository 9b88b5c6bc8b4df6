import { evolve } from './evolve';
import { initialSeizureState } from './state';
import { CASH, NOW, SEIZURE_ID, custodians } from '../../test/support/custody-fixtures';
import { recorded, cashToTreasury, treasuryAccepted } from './commands/seizure-history.test-support';

// evolve: what the state remembers of each event.

describe('evolve', () => {
  it('moves custody only on acceptance and tracks the seizure id', () => {
    const state = [recorded, cashToTreasury]
      .map((e, i) => ({ ...e, eventId: `e${i}`, actorSub: 'x', occurredAt: NOW }))
      .reduce(evolve, initialSeizureState());
    if (state.status !== 'recorded') throw new Error('expected a recorded seizure');
    expect(state.seizureId).toBe(SEIZURE_ID);
    expect(state.items[CASH].custodian).toEqual(custodians.flyingSquad);
    expect(state.items[CASH].openTransferId).toBe('t-1');
    const after = evolve(state, { ...treasuryAccepted, eventId: 'e2', occurredAt: NOW });
    if (after.status !== 'recorded') throw new Error('expected a recorded seizure');
    expect(after.items[CASH].custodian).toEqual(custodians.treasury);
    expect(after.items[CASH].openTransferId).toBeNull();
  });
});
