import { ROLES, type Actor, type Role } from '../shared/actor';
import { SEIZURE_EVENT_TYPES } from './events';
import {
  PERSONAL_DATA,
  PERSONAL_DATA_ENTRIES,
  REDACTED,
  isRedacted,
  mayReadPersonalData,
  personalDataFieldsOf,
  personalDataOf,
  shownTo,
  withholdPersonalData,
} from './personal-data';

const withRoles = (...roles: Role[]): Actor => ({ sub: 'u', name: 'n', roles, unit: 'U', agency: 'police', scope: { national: true } });
const officer = withRoles('officer');
const custodian = withRoles('custodian');

describe('the personal-data list', () => {
  it('decides every event type, and keeps the identity fields of the person seized from, witnesses and recipients', () => {
    expect(Object.keys(PERSONAL_DATA).sort()).toEqual([...SEIZURE_EVENT_TYPES].sort());
    expect(PERSONAL_DATA_ENTRIES.filter((e) => e.kind === 'identity').map((e) => `${e.type}.${e.field}`)).toEqual([
      'SeizureRecorded.seizedFrom',
      'SeizureRecorded.witnesses',
      'ReleaseOrdered.releaseTo',
      'ItemsReleased.releasedTo',
    ]);
  });

  it('counts every correction’s text as free text, whatever event it corrects', () => {
    expect(personalDataFieldsOf('CorrectionRecorded')).toEqual(['whatWasWrong', 'correction', 'reason']);
    expect(PERSONAL_DATA.CorrectionRecorded).toEqual({ whatWasWrong: 'free-text', correction: 'free-text', reason: 'free-text' });
  });

  it('leaves out what describes things, places and officials, and what decide composes', () => {
    const listed = new Set(PERSONAL_DATA_ENTRIES.map((e) => `${e.type}.${e.field}`));
    for (const notPersonal of [
      'SeizureRecorded.items',
      'SeizureRecorded.location',
      'SeizureRecorded.seizingOfficer',
      'SeizureRecorded.magistrate',
      'SeizureRecorded.memoNumber',
      'SeizureRecorded.vehicleNumber',
      'CustodyTransferInitiated.to',
      'DiscrepancyRecorded.expected',
      'DiscrepancyRecorded.found',
      'FirRegistered.policeStation',
      'ReferredToIncomeTax.office',
    ])
      expect(listed.has(notPersonal)).toBe(false);
    expect(personalDataFieldsOf('CashDeposited')).toEqual([]);
    expect(personalDataFieldsOf('SomethingNewer')).toEqual([]);
  });
});

describe('who reads personal data', () => {
  it('is officers, committees and courts only', () => {
    const readers = ROLES.filter((role) => mayReadPersonalData(withRoles(role)));
    expect(readers).toEqual(['officer', 'committee', 'court']);
    expect(mayReadPersonalData(withRoles('custodian', 'court'))).toBe(true);
  });
});

describe('withholding personal data', () => {
  const rejected = { transferId: 't-1', itemIds: ['i-1'], reason: 'Ramesh 98000 00000 refused to sign' };

  it('replaces each listed field by the marker for other roles, and keeps everything else', () => {
    expect(withholdPersonalData('CustodyTransferRejected', rejected, custodian)).toEqual({
      data: { transferId: 't-1', itemIds: ['i-1'], reason: REDACTED },
      redacted: true,
    });
    expect(withholdPersonalData('CustodyTransferRejected', rejected, officer)).toEqual({ data: rejected, redacted: false });
  });

  it('adds no field the event lacks, and marks nothing for a type without personal data', () => {
    expect(withholdPersonalData('ItemsValued', { valuations: [] }, custodian).data).toEqual({ valuations: [] });
    const fir = { firNumber: '112/2024', policeStation: 'Cantt', registeredOn: '2024-04-20', sections: [] };
    expect(withholdPersonalData('FirRegistered', fir, custodian)).toEqual({ data: fir, redacted: false });
  });

  it('withholds every field of a type this release does not know', () => {
    expect(withholdPersonalData('WitnessSummoned', { name: 'Mohan Lal', at: 'court' }, custodian)).toEqual({
      data: { name: REDACTED, at: REDACTED },
      redacted: true,
    });
  });

  it('shows one value by its event type and field', () => {
    expect(shownTo(custodian, 'CustodyTransferAccepted', 'remarks', 'counted with Mohan Lal')).toBe(REDACTED);
    expect(shownTo(officer, 'CustodyTransferAccepted', 'remarks', 'counted with Mohan Lal')).toBe('counted with Mohan Lal');
    expect(shownTo(custodian, 'CustodyTransferAccepted', 'transferId', 't-1')).toBe('t-1');
    expect(isRedacted(REDACTED)).toBe(true);
    expect(isRedacted('redacted')).toBe(false);
  });

  it('picks the listed fields of an event, for views that show them apart', () => {
    expect(personalDataOf('CustodyTransferRejected', rejected)).toEqual({ reason: rejected.reason });
    expect(personalDataOf('FirRegistered', { firNumber: '1' })).toEqual({});
  });
});
