import { createHash } from 'node:crypto';
import { rateLimitTracker } from './rate-limit-tracker';

describe('rateLimitTracker', () => {
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

  it('tracks a bearer token by its SHA-256, never the token itself', () => {
    const tracker = rateLimitTracker('Bearer abc.def.ghi', '10.0.0.1');
    expect(tracker).toBe(`token:${sha256('abc.def.ghi')}`);
    expect(tracker).not.toContain('abc.def');
  });

  it('reads the scheme case-insensitively, as the auth guard does', () => {
    expect(rateLimitTracker('bearer  tok ', '10.0.0.1')).toBe(`token:${sha256('tok')}`);
  });

  it('counts different tokens from one address separately', () => {
    expect(rateLimitTracker('Bearer one', '10.0.0.1')).not.toBe(rateLimitTracker('Bearer two', '10.0.0.1'));
  });

  it.each([undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b'])(
    'falls back to the client address without a usable bearer token (%p)',
    (authorization) => {
      expect(rateLimitTracker(authorization, '10.0.0.1')).toBe('ip:10.0.0.1');
    },
  );
});
