import { errorProblems, type ErrorProblems } from '../platform/http/error-registry';
import { AttachmentTooLargeError } from './attachment-store';
import { AttachmentContentMismatchError } from './content-sniffing';

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
];
