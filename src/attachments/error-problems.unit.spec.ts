import { ErrorRegistry } from '../platform/http/error-registry';
import { AttachmentStoreUnavailableError, AttachmentTooLargeError } from './attachment-store';
import { attachmentErrorProblems } from './error-problems';
import { ContentIsPersonalDataError, PersonalContentStoredInClearError } from './personal-attachment-store';

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

  it('answers personal content sent unmarked, and clear content sent as personal, with 409s that quote no digest', () => {
    const sha256 = 'a'.repeat(64);
    const unmarked = registry.problemFor(new ContentIsPersonalDataError(sha256), { ifMatchGiven: false });
    const marked = registry.problemFor(new PersonalContentStoredInClearError(sha256), { ifMatchGiven: false });
    expect(unmarked).toMatchObject({ status: 409, slug: 'attachment-is-personal-data' });
    expect(marked).toMatchObject({ status: 409, slug: 'attachment-stored-in-clear' });
    expect(JSON.stringify([unmarked, marked])).not.toContain(sha256);
  });
});
