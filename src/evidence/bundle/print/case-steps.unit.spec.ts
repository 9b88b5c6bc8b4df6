import type { JsonValue } from '../../../shared/json';
import { CASH, seizureRecorded } from '../../../../test/support/custody-fixtures';
import type { BundledEvent } from '../evidence-bundle.format';
import { custodyStory, rowsFor } from './custody-story';

const DISPUTE = '6f1c2b7a-0d4e-4a8b-9c3d-1e2f3a4b5c6d';
const WITHHELD = { redacted: true, reason: 'personal data: your role does not grant access' };

function bundled(revision: number, type: string, data: unknown): BundledEvent {
  return {
    streamName: 'seizure-x',
    revision,
    globalPosition: revision + 1,
    id: `e${revision}`,
    type,
    data: data as JsonValue,
    metadata: {
      actor: { sub: 'u', name: 'CJM Varanasi', unit: 'COURT-CJM-VNS', roles: ['court'] },
      occurredAt: '2024-06-10T06:00:00.000Z',
      schemaVersion: 2,
    },
    recordedAt: '2024-06-10T06:00:00.000Z',
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    inclusion: { leafIndex: revision, treeSize: 10, proof: [] },
  };
}

describe('the custody story: steps that open and close no custody but the cases on a seizure', () => {
  const story = custodyStory([
    bundled(0, 'SeizureRecorded', seizureRecorded().data),
    bundled(1, 'FirClosed', {
      firNumber: '112/2024',
      how: 'trial_ended',
      closedOn: '2024-06-10',
      court: 'CJM Varanasi',
      reference: 'ST 55/2024',
      remarks: 'acquitted',
    }),
    bundled(2, 'CourtProceedingsDisposedOf', {
      disposedOn: '2024-06-10',
      court: 'CJM Varanasi',
      caseNumber: 'CC 412/2024',
      remarks: WITHHELD,
    }),
    bundled(3, 'IncomeTaxProceedingsClosed', { referenceNumber: 'IT-1', closedOn: '2024-06-10', orderNumber: 'ITO/77', remarks: '' }),
    bundled(4, 'ReleaseDisputeRaised', { disputeId: DISPUTE, raisedOn: '2024-06-10', itemIds: [CASH], grounds: WITHHELD }),
    bundled(5, 'ReleaseDisputeResolved', {
      disputeId: DISPUTE,
      resolvedOn: '2024-06-10',
      outcome: 'dismissed',
      reference: 'DGC/40',
      remarks: 'x',
    }),
  ]);
  const what = (revision: number) => story.rows[revision].what;

  it('says how each proceeding ended, with its references and dates', () => {
    expect(what(1)).toBe('FIR 112/2024 closed on 2024-06-10: its trial ended (CJM Varanasi, ST 55/2024); remarks: acquitted');
    expect(what(3)).toBe('Income Tax proceedings under IT-1 closed on 2024-06-10 by order ITO/77');
    expect(what(5)).toBe(
      'Release dispute 6f1c2b7a-0d4e-4a8b-9c3d-1e2f3a4b5c6d resolved on 2024-06-10 (dismissed) under DGC/40; remarks: x',
    );
  });

  it('prints free text withheld from the bundle as withheld', () => {
    expect(what(2)).toBe('Court proceedings CC 412/2024 of CJM Varanasi disposed of on 2024-06-10; remarks: withheld');
    expect(what(4)).toMatch(/; grounds: withheld$/);
  });

  it('puts a dispute in the table of the items it is about, the rest in the seizure-wide table', () => {
    expect(what(4)).toContain('over item 1 (cash)');
    expect(rowsFor(story, CASH).map((r) => r.type)).toEqual(['SeizureRecorded', 'ReleaseDisputeRaised']);
    expect(rowsFor(story, null).map((r) => r.revision)).toEqual([1, 2, 3, 5]);
  });
});
