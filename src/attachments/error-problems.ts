import { errorProblems, type ErrorProblems } from '../platform/http/error-registry';
import { AttachmentTooLargeError } from './attachment-store';
import { AttachmentContentMismatchError } from './content-sniffing';
import { ContentIsPersonalDataError, PersonalContentStoredInClearError } from './personal-attachment-store';

/** The attachment store's errors a client can act on; an unavailable store stays a logged 500. */
export const attachmentErrorProblems: readonly ErrorProblems[] = [
  errorProblems(AttachmentTooLargeError, ['attachment_too_large'], (error) => ({
    status: 413,
    slug: 'payload-too-large',
    title: 'Attachment too large',
    detail: `An attachment may be at most ${error.maxBytes} bytes.`,
  })),
  errorProblems(AttachmentContentMismatchError, ['attachment_content_mismatch'], (error) => ({
    status: 415,
    slug: 'attachment-content-mismatch',
    title: 'Attachment content does not match its type',
    detail:
      `The bytes sent are not a ${error.declared} file` +
      (error.detected === undefined ? '.' : ` (they are ${error.detected}).`) +
      ' Declare the type the file really has.',
  })),
  errorProblems(ContentIsPersonalDataError, ['content_is_personal_data'], () => ({
    status: 409,
    slug: 'attachment-is-personal-data',
    title: 'Attachment is held as personal data',
    detail:
      'These bytes were attached as personal data, kept encrypted so that they can be erased; they are not stored in clear. ' +
      'Attach them with personalDataOf naming whose data they are.',
  })),
  errorProblems(PersonalContentStoredInClearError, ['personal_content_stored_in_clear'], () => ({
    status: 409,
    slug: 'attachment-stored-in-clear',
    title: 'Attachment already stored in clear',
    detail:
      'These bytes were attached before without being marked personal, so a copy is kept in clear; an encrypted copy ' +
      'could not be erased with its subject. Attach them without personalDataOf, and ask an administrator to deal with the copy in clear.',
  })),
];
