import { withholdErasedInClear } from './erased-in-clear';

const event = (id: string, type: string, data: object, occurredAt = '2024-04-20T06:00:00.000Z') => ({
  id,
  type,
  data: data as never,
  metadata: { occurredAt },
  recordedAt: occurredAt,
});

describe('values an erasure could not shred (written in clear before sealing)', () => {
  const recorded = event('old', 'SeizureRecorded', {
    seizedFrom: { name: 'Ramesh' },
    witnesses: [{ name: 'Mohan' }, { name: 'Shabana' }],
  });
  const erasure = event(
    'era',
    'PersonalDataErased',
    {
      erasures: [{ subject: 'witness-1', fields: [], attachments: [] }],
      keptInClear: [{ eventId: 'old', fieldPath: '/witnesses/0', subject: 'witness-1' }],
      orderReference: 'DEO/7',
    },
    '2024-09-01T10:00:00.000Z',
  );

  it('are withheld from what is shown, naming the erasure, while the others stay', () => {
    const [shown] = withholdErasedInClear([recorded, erasure]);
    expect(shown.data).toEqual({
      seizedFrom: { name: 'Ramesh' },
      witnesses: [
        { erased: true, erasedAt: '2024-09-01T10:00:00.000Z', erasureEventId: 'era', orderReference: 'DEO/7', stillInTheLog: true },
        { name: 'Shabana' },
      ],
    });
  });

  it('leave the stored events untouched, and need an erasure to be withheld', () => {
    withholdErasedInClear([recorded, erasure]);
    expect(recorded.data).toEqual({ seizedFrom: { name: 'Ramesh' }, witnesses: [{ name: 'Mohan' }, { name: 'Shabana' }] });
    expect(withholdErasedInClear([recorded])[0].data).toBe(recorded.data);
  });
});
