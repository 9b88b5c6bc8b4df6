import type { SeizureCommand } from '../command';
import { actors } from '../../../test/support/custody-fixtures';
import { spec, as, recorded } from './seizure-history.test-support';

// AddAttachment and RecordCorrection.

describe('attachments and corrections', () => {
  it('adds an attachment to a recorded seizure only', () => {
    const attach: SeizureCommand = {
      type: 'AddAttachment',
      data: { sha256: 'b'.repeat(64), sizeBytes: 10, mediaType: 'image/jpeg', fileName: 'seal.jpg', description: 'seal photo' },
    };
    spec
      .given([recorded])
      .when(attach, as(actors.flyingSquad))
      .then([{ type: 'AttachmentAdded', data: attach.data }]);
    spec.given([]).when(attach, as(actors.flyingSquad)).thenRefuses('seizure-not-found');
  });

  it("a file marked as a person's names a person of this seizure", () => {
    const idScan = (personalDataOf: string): SeizureCommand => ({
      type: 'AddAttachment',
      data: {
        sha256: 'c'.repeat(64),
        sizeBytes: 10,
        mediaType: 'image/jpeg',
        fileName: 'id.jpg',
        description: 'ID shown',
        personalDataOf,
        contentKeyId: 'k-1',
      },
    });
    // The recorded seizure lists the person seized from and two witnesses, and no release order yet.
    for (const subject of ['seized-from', 'witness-2'])
      spec
        .given([recorded])
        .when(idScan(subject), as(actors.flyingSquad))
        .thenProduces((events) => expect(events).toHaveLength(1));
    for (const subject of ['witness-3', 'release-recipient-1'])
      spec.given([recorded]).when(idScan(subject), as(actors.flyingSquad)).thenRefuses('no-personal-data-of-subject');
  });

  it('a correction points at an earlier event of this seizure, by its author or an administrator', () => {
    const correction = (correctsEventId: string): SeizureCommand => ({
      type: 'RecordCorrection',
      data: { correctsEventId, whatWasWrong: 'vehicle UP65AB1234', correction: 'vehicle UP65AB1243', reason: 'digits swapped' },
    });
    const history = [{ ...recorded, eventId: 'e-recorded' }];
    spec
      .given(history)
      .when(correction('e-recorded'), as(actors.flyingSquad))
      .then([
        {
          type: 'CorrectionRecorded',
          data: {
            correctsEventId: 'e-recorded',
            correctsEventType: 'SeizureRecorded',
            whatWasWrong: 'vehicle UP65AB1234',
            correction: 'vehicle UP65AB1243',
            reason: 'digits swapped',
          },
        },
      ]);
    spec
      .given(history)
      .when(correction('e-recorded'), as(actors.admin))
      .thenProduces((events) => expect(events).toHaveLength(1));
    spec.given(history).when(correction('e-recorded'), as(actors.flyingSquadColleague)).thenRefuses('not-the-author');
    spec.given(history).when(correction('e-unknown'), as(actors.flyingSquad)).thenRefuses('unknown-event');
  });
});
