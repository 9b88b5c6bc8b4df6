import { SeizureRuleViolation } from './errors';
import { evolve } from './evolve';
import { initialSeizureState } from './state';
import { requireVisible, requireVisibleRow } from './visibility';
import { NOW, SEIZURE_ID, actors, seizureRecorded } from '../../test/support/custody-fixtures';

const recorded = evolve(initialSeizureState(), { ...seizureRecorded(), eventId: 'e-1', occurredAt: NOW });

function refusal(check: () => unknown): Pick<SeizureRuleViolation, 'code' | 'kind' | 'message'> {
  try {
    check();
  } catch (error) {
    if (error instanceof SeizureRuleViolation) return { code: error.code, kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('requireVisible', () => {
  it('returns a recorded seizure within the actor scope', () => {
    expect(requireVisible(recorded, actors.flyingSquad)).toBe(recorded);
    // A national scope sees every district.
    expect(requireVisible(recorded, actors.court)).toBe(recorded);
  });

  it('refuses a seizure that is not recorded, naming it when told its id', () => {
    expect(refusal(() => requireVisible(initialSeizureState(), actors.flyingSquad, SEIZURE_ID))).toEqual({
      code: 'seizure-not-found',
      kind: 'not_found',
      message: `seizure ${SEIZURE_ID} has not been recorded`,
    });
    expect(refusal(() => requireVisible(initialSeizureState(), actors.flyingSquad)).message).toBe('seizure has not been recorded');
  });

  it('refuses a seizure outside the actor scope', () => {
    expect(refusal(() => requireVisible(recorded, actors.outOfDistrict, SEIZURE_ID))).toEqual({
      code: 'out-of-scope',
      kind: 'forbidden',
      message: 'this seizure is outside your jurisdiction',
    });
  });

  it('says not found before out of scope, so a missing seizure is told apart only by those who may see it', () => {
    expect(refusal(() => requireVisible(initialSeizureState(), actors.outOfDistrict, SEIZURE_ID)).code).toBe('seizure-not-found');
  });
});

describe('requireVisibleRow', () => {
  const row = { seizure_id: SEIZURE_ID, state: 'UP', district: 'UP-VNS' };

  it('applies the same check to a read model row', () => {
    expect(requireVisibleRow(row, actors.flyingSquad, SEIZURE_ID)).toBe(row);
    expect(refusal(() => requireVisibleRow(undefined, actors.flyingSquad, SEIZURE_ID)).message).toBe(
      `seizure ${SEIZURE_ID} has not been recorded`,
    );
    expect(refusal(() => requireVisibleRow(row, actors.outOfDistrict, SEIZURE_ID)).code).toBe('out-of-scope');
  });
});
