import { rateLimitTracker } from './rate-limit-tracker';

describe('rateLimitTracker', () => {
  it('tracks a verified token by its subject', () => {
    expect(rateLimitTracker('u-17', '10.0.0.1')).toBe('sub:u-17');
  });

  it('counts different subjects from one address separately', () => {
    expect(rateLimitTracker('u-17', '10.0.0.1')).not.toBe(rateLimitTracker('u-18', '10.0.0.1'));
  });

  it('counts one subject alike from any address', () => {
    expect(rateLimitTracker('u-17', '10.0.0.1')).toBe(rateLimitTracker('u-17', '10.0.0.2'));
  });

  it('falls back to the client address without a verified subject', () => {
    expect(rateLimitTracker(undefined, '10.0.0.1')).toBe('ip:10.0.0.1');
  });
});
