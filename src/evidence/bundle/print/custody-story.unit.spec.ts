import type { JsonValue } from '../../../shared/json';
import { seizureRecorded, actors, custodians, CASH, LIQUOR } from '../../../../test/support/custody-fixtures';
import type { BundledEvent } from '../evidence-bundle.format';
import { actorOf, custodyStory, rowsFor } from './custody-story';
import { openedData } from './opened-data';
import { personName, peopleNames, plainText } from './printable';

let revision = 0;
function event(
  type: string,
  data: unknown,
  actor: JsonValue = { sub: 'u', name: 'Asha Verma', unit: 'FS-VNS-03', roles: ['officer'] },
): BundledEvent {
  const r = revision++;
  return {
    streamName: 'seizure-x',
    revision: r,
    globalPosition: r,
    id: `e${r}`,
    type,
    data: data as JsonValue,
    metadata: { actor, occurredAt: '2024-04-19T18:31:00.000Z', schemaVersion: type === 'CustodyTransferAccepted' ? 2 : 1 },
    recordedAt: '2024-04-19T18:31:00.000Z',
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    inclusion: { leafIndex: r, treeSize: 10, proof: [] },
  };
}

describe('the custody story of a bundle', () => {
  const recorded = seizureRecorded().data;
  const transfer = { transferId: 't1', itemIds: [CASH, LIQUOR], from: custodians.flyingSquad, to: custodians.treasury };
  const treasurer = { sub: actors.treasuryOfficer.sub, name: 'Sunita Devi', unit: 'TR-VNS', roles: ['treasury'] };
  revision = 0;
  const story = custodyStory([
    event('SeizureRecorded', recorded),
    event('CustodyTransferInitiated', { ...transfer, sealNumbers: ['S-1001', 'S-1002'], reason: 'deposit' }),
    event(
      'CustodyTransferAccepted',
      {
        ...transfer,
        seals: [
          { number: 'S-1001', condition: 'intact' },
          { number: 'S-1002', condition: 'broken' },
        ],
        countedQuantities: [
          { itemId: CASH, quantity: 125_000_000 },
          { itemId: LIQUOR, quantity: 47_250 },
        ],
        remarks: '',
      },
      treasurer,
    ),
    event('FirRegistered', { firNumber: '12/2024', policeStation: 'Cantt', registeredOn: '2024-04-20', sections: ['171B IPC'] }),
    event('SomethingNew', { anything: 1 }),
  ]);

  it('lists the items in rupees, litres and pieces', () => {
    expect(story.items.map((i) => [i.number, i.quantity, i.value])).toEqual([
      [1, '₹12,50,000.00', '₹12,50,000.00'],
      [2, '48 L', '₹48,000.00'],
    ]);
  });

  it('gives every event a row with when (IST) and who', () => {
    expect(story.rows.map((r) => r.revision)).toEqual([0, 1, 2, 3, 4]);
    expect(story.rows[2]).toMatchObject({ when: '20 Apr 2024 00:01 IST', actor: 'Sunita Devi (treasury, TR-VNS)' });
  });

  it('marks a broken seal and a short count as a discrepancy, item by item', () => {
    const accepted = story.rows[2];
    expect(accepted.highlight).toBe('Discrepancy: seal S-1002 broken; item 2 (liquor) counted 47.250 L, recorded 48 L');
    expect(accepted.checksByItem[LIQUOR]).toBe('Seals found: S-1001 intact, S-1002 broken; counted 47.250 L');
    expect(story.rows[1].highlight).toBeNull();
  });

  it('puts steps about the whole seizure, and steps it cannot read, in the seizure-wide table', () => {
    expect(rowsFor(story, null).map((r) => r.type)).toEqual(['FirRegistered', 'SomethingNew']);
    expect(rowsFor(story, null)[1].what).toMatch(/^SomethingNew: a step this release does not describe/);
    expect(rowsFor(story, CASH).map((r) => r.revision)).toEqual([0, 1, 2]);
  });

  it('prints withheld personal data as "withheld" and an actor recorded as a bare id as it is', () => {
    expect(personName({ redacted: true, reason: 'personal data' })).toBe('withheld');
    expect(peopleNames({ redacted: true })).toBe('withheld');
    expect(personName({ name: 'श्री आर. के. मिश्रा', designation: 'Executive Magistrate' })).toBe('श्री आर. के. मिश्रा, Executive Magistrate');
    expect(actorOf('officer-17')).toBe('officer-17');
    expect(actorOf(undefined)).toBe('not recorded');
  });

  it('prints an erased value as when (IST) and under which order it was erased, wherever a value is printed', () => {
    const sealed = {
      seizedFrom: { sealed: 'sha256:aa' },
      witnesses: [{ sealed: 'sha256:bb' }, { sealed: 'sha256:cc' }],
      memoNumber: 'M-1',
    };
    const data = openedData({
      data: sealed,
      revealed: [
        {
          fieldPath: '/seizedFrom',
          erased: true,
          erasedAt: '2024-05-01T06:00:00.000Z',
          erasureEventId: 'e-9',
          orderReference: 'DGC/VNS/2024/9',
        },
        { fieldPath: '/witnesses/0', erased: true, erasedAt: '2024-05-01T06:00:00.000Z' },
        { fieldPath: '/witnesses/1', value: { name: 'Mohan Lal' }, salt: 'c2FsdA==' },
      ],
    }) as { seizedFrom: JsonValue; witnesses: JsonValue };
    expect(personName(data.seizedFrom)).toBe('erased on 01 May 2024 11:30 IST under DGC/VNS/2024/9');
    expect(peopleNames(data.witnesses)).toBe('erased on 01 May 2024 11:30 IST; Mohan Lal');
    expect(plainText(data.seizedFrom)).toBe('erased on 01 May 2024 11:30 IST under DGC/VNS/2024/9');
  });
});
