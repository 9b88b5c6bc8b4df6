import { fieldsToSeal, releaseOrdinals } from './sealed-fields';

describe('which fields of a new event are sealed, under whose key', () => {
  const none = releaseOrdinals([]);

  it('seals the person seized from and each witness apart, numbering witnesses from 1', () => {
    const data = { memoNumber: 'M-1', seizedFrom: { name: 'x' }, witnesses: [{ name: 'a' }, { name: 'b' }] };
    expect(fieldsToSeal('SeizureRecorded', data, none)).toEqual([
      { fieldPath: '/seizedFrom', subject: 'seized-from' },
      { fieldPath: '/witnesses/0', subject: 'witness-1' },
      { fieldPath: '/witnesses/1', subject: 'witness-2' },
    ]);
    expect(fieldsToSeal('SeizureRecorded', { seizedFrom: {}, witnesses: [] }, none)).toEqual([
      { fieldPath: '/seizedFrom', subject: 'seized-from' },
    ]);
  });

  it('seals free text under the one free-text key, and nothing of an event type without personal data', () => {
    expect(fieldsToSeal('CustodyTransferRejected', { transferId: 't', reason: 'seal broken' }, none)).toEqual([
      { fieldPath: '/reason', subject: 'free-text' },
    ]);
    expect(fieldsToSeal('FirRegistered', { firNumber: '1' }, none)).toEqual([]);
    expect(fieldsToSeal('SomethingNewHappened', { name: 'x' }, none)).toEqual([]);
  });

  it('numbers release recipients by the order of the release orders, the same for the order and the release it names', () => {
    const ordinals = releaseOrdinals(['DGC-7', 'CJM-2', 'DGC-7']);
    expect(fieldsToSeal('ReleaseOrdered', { orderNumber: 'CJM-2', releaseTo: {}, reasons: 'r' }, ordinals)).toEqual([
      { fieldPath: '/releaseTo', subject: 'release-recipient-2' },
      { fieldPath: '/reasons', subject: 'free-text' },
    ]);
    expect(fieldsToSeal('ItemsReleased', { orderNumber: 'DGC-7', releasedTo: {}, remarks: '' }, ordinals)[0].subject).toBe(
      'release-recipient-1',
    );
    expect(ordinals('DGC-9')).toBe(3);
  });
});
