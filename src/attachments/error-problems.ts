import { errorProblems, type ErrorProblems } from '../platform/http/error-registry';
import { AttachmentTooLargeError } from './attachment-store';

/** The attachment store's errors a client can act on; an unavailable store stays a logged 500. */
export const attachmentErrorProblems: readonly ErrorProblems[] = [
  errorProblems(AttachmentTooLargeError, ['attachment_too_large'], (error) => ({
    status: 413,
    slug: 'payload-too-large',
    title: 'Attachment too large',
    detail: `An attachment may be at most ${error.maxBytes} bytes.`,
  })),
];
