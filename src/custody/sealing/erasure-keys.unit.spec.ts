import { ENVELOPE_VERSION, serializeEnvelopes, type Envelope } from '../../sealing/envelope';
import { keysToShred } from './erasure-keys';

const envelope = (eventId: string, fieldPath: string, keyId: string): Envelope => ({
  v: ENVELOPE_VERSION,
  eventId,
  fieldPath,
  keyId,
  nonce: Buffer.alloc(12).toString('base64'),
  ciphertext: Buffer.from('sealed').toString('base64'),
  tag: Buffer.alloc(16).toString('base64'),
});

describe('the keys an erasure destroys', () => {
  const recorded = {
    id: 'rec',
    type: 'SeizureRecorded',
    data: {},
    envelopes: serializeEnvelopes([envelope('rec', '/seizedFrom', 'k-person'), envelope('rec', '/witnesses/0', 'k-w1')]),
  };
  const scan = {
    id: 'att',
    type: 'AttachmentAdded',
    data: { sha256: 'a'.repeat(64), personalDataOf: 'witness-1', contentKeyId: 'k-w1-scan' },
  };
  const other = {
    id: 'att2',
    type: 'AttachmentAdded',
    data: { sha256: 'b'.repeat(64), personalDataOf: 'seized-from', contentKeyId: 'k-x' },
  };

  it('are the keys of the envelopes of the fields it lists, and of the attachments it lists, subject by subject', () => {
    expect(
      keysToShred(
        {
          erasures: [
            { subject: 'witness-1', fields: [{ eventId: 'rec', fieldPath: '/witnesses/0' }], attachments: ['a'.repeat(64)] },
            { subject: 'seized-from', fields: [{ eventId: 'rec', fieldPath: '/seizedFrom' }], attachments: [] },
          ],
        },
        [recorded, scan, other],
      ),
    ).toEqual([
      { subject: 'witness-1', keyIds: ['k-w1', 'k-w1-scan'] },
      { subject: 'seized-from', keyIds: ['k-person'] },
    ]);
  });

  it('are none for fields in clear or not in the stream', () => {
    expect(
      keysToShred(
        {
          erasures: [
            {
              subject: 'witness-2',
              fields: [
                { eventId: 'rec', fieldPath: '/witnesses/1' },
                { eventId: 'gone', fieldPath: '/x' },
              ],
              attachments: [],
            },
          ],
        },
        [recorded],
      ),
    ).toEqual([{ subject: 'witness-2', keyIds: [] }]);
  });
});
