import { HttpStatus } from '@nestjs/common';
import { ProblemHttpException } from '../../platform/http/problem-details.filter';
import type { KeyTombstone } from '../../sealing/key-store';

/** A personal attachment's content is personal data: roles that may not read it get neither the bytes nor their size. */
export const personalAttachmentWithheld = (): ProblemHttpException =>
  new ProblemHttpException({
    status: HttpStatus.FORBIDDEN,
    slug: 'personal-attachment-withheld',
    title: 'Personal attachment withheld',
    detail: 'This attachment shows or identifies a person: its content is personal data, which your role does not grant access to.',
  });

/**
 * The subject's key was destroyed (erasure): the content is gone for good, its SHA-256 stays in
 * the ledger. The problem names the erasure by its tombstone (never key material).
 */
export const personalAttachmentGone = (tombstone: KeyTombstone): ProblemHttpException =>
  new ProblemHttpException({
    status: HttpStatus.GONE,
    slug: 'personal-data-erased',
    title: 'Personal data erased',
    detail:
      `The personal data of ${tombstone.subject} in this seizure was erased at ${tombstone.destroyedAt}` +
      (tombstone.erasure
        ? ` by event ${tombstone.erasure.eventId} under ${tombstone.erasure.orderReference}`
        : ` (key ${tombstone.keyId})`) +
      ": this attachment's content can no longer be read. Its SHA-256 stays in the ledger.",
    extensions: {
      erasure: {
        subject: tombstone.subject,
        keyId: tombstone.keyId,
        destroyedAt: tombstone.destroyedAt,
        reason: tombstone.reason,
        ...(tombstone.erasure && { erasureEventId: tombstone.erasure.eventId, orderReference: tombstone.erasure.orderReference }),
      },
    },
  });
