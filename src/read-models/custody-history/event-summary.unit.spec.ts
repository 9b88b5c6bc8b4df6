import type { SeizureEvent } from '../../custody/events';
import { summarizeEvent } from './event-summary';

// The timeline lines of the case events: references, dates and kinds, never their free text.

const DISPUTE = '6f1c2b7a-0d4e-4a8b-9c3d-1e2f3a4b5c6d';
const FREE_TEXT = 'रमेश चंद्र के भाई का दावा';

describe('timeline lines of the events that close proceedings', () => {
  const cases: Array<[SeizureEvent, string]> = [
    [
      {
        type: 'FirClosed',
        data: {
          firNumber: '112/2024',
          how: 'closure_report_accepted',
          closedOn: '2024-06-10',
          court: 'CJM',
          reference: 'CJM/901',
          remarks: FREE_TEXT,
        },
      },
      'FIR 112/2024 closed on 2024-06-10 (closure report accepted), CJM/901',
    ],
    [
      {
        type: 'CourtProceedingsDisposedOf',
        data: { disposedOn: '2024-06-11', court: 'CJM', caseNumber: 'CC 412/2024', remarks: FREE_TEXT },
      },
      'Court proceedings CC 412/2024 disposed of on 2024-06-11',
    ],
    [
      {
        type: 'IncomeTaxProceedingsClosed',
        data: { referenceNumber: 'IT-1', closedOn: '2024-06-12', orderNumber: 'ITO/77', remarks: FREE_TEXT },
      },
      'Income Tax proceedings under IT-1 closed on 2024-06-12 by order ITO/77',
    ],
    [
      { type: 'ReleaseDisputeRaised', data: { disputeId: DISPUTE, raisedOn: '2024-06-13', itemIds: ['item-cash'], grounds: FREE_TEXT } },
      `Release dispute ${DISPUTE} over item-cash raised on 2024-06-13`,
    ],
    [
      {
        type: 'ReleaseDisputeResolved',
        data: { disputeId: DISPUTE, resolvedOn: '2024-06-14', outcome: 'upheld', reference: 'DGC/40', remarks: FREE_TEXT },
      },
      `Release dispute ${DISPUTE} resolved on 2024-06-14 (upheld) under DGC/40`,
    ],
  ];

  it.each(cases.map(([event, line]) => [event.type, event, line] as const))(
    '%s reads as its line, without its free text',
    (_type, event, line) => {
      expect(summarizeEvent(event)).toBe(line);
      expect(summarizeEvent(event)).not.toContain('रमेश');
    },
  );
});
