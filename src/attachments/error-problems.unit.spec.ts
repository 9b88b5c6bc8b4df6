import { ErrorRegistry } from '../platform/http/error-registry';
import { AttachmentStoreUnavailableError, AttachmentTooLargeError } from './attachment-store';
import { attachmentErrorProblems } from './error-problems';

describe('attachment error problems', () => {
  const registry = new ErrorRegistry(attachmentErrorProblems);

  it('answers an attachment over the limit with 413, naming the limit', () => {
    expect(registry.problemFor(new AttachmentTooLargeError(1024), { ifMatchGiven: false })).toEqual({
      status: 413,
      slug: 'payload-too-large',
      title: 'Attachment too large',
      detail: 'An attachment may be at most 1024 bytes.',
    });
  });

  it('leaves an unavailable attachment store to the logged 500', () => {
    expect(registry.problemFor(new AttachmentStoreUnavailableError('disk full'), { ifMatchGiven: false })).toBeUndefined();
  });
});
