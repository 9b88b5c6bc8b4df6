import { ConfigError } from './env-schema';
import { DEFAULT_RETENTION, DEFAULT_RETENTION_DAYS, readRetentionSettings } from './retention-settings';

describe('retention settings', () => {
  it('has documented defaults: three years and a leap day for the people goods go back to and for free text, a year for witnesses', () => {
    const { settings, problems } = readRetentionSettings({});
    expect(problems).toEqual([]);
    expect(settings).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION_DAYS).toEqual({ 'seized-from': 1096, witness: 365, 'release-recipient': 1096, 'free-text': 1096 });
    expect(settings).toMatchObject({ autoErase: true, intervalSeconds: 3600 });
  });

  it('reads each category, the switch and the interval', () => {
    const { settings, problems } = readRetentionSettings({
      RETENTION_DAYS_SEIZED_FROM: '2000',
      RETENTION_DAYS_WITNESS: '90',
      RETENTION_DAYS_RELEASE_RECIPIENT: '1500',
      RETENTION_DAYS_FREE_TEXT: '30',
      RETENTION_AUTO_ERASE: 'false',
      RETENTION_INTERVAL_SECONDS: '60',
    });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      days: { 'seized-from': 2000, witness: 90, 'release-recipient': 1500, 'free-text': 30 },
      autoErase: false,
      intervalSeconds: 60,
    });
  });

  it('refuses 0 days, saying how to stop automatic erasure instead, and every other bad value, each named', () => {
    const { problems } = readRetentionSettings({
      RETENTION_DAYS_SEIZED_FROM: '0',
      RETENTION_DAYS_WITNESS: '-5',
      RETENTION_DAYS_RELEASE_RECIPIENT: '3 years',
      RETENTION_DAYS_FREE_TEXT: '36501',
      RETENTION_AUTO_ERASE: 'no',
      RETENTION_INTERVAL_SECONDS: '0',
    });
    expect(problems.map((p) => p.variable)).toEqual([
      'RETENTION_DAYS_SEIZED_FROM',
      'RETENTION_DAYS_WITNESS',
      'RETENTION_DAYS_RELEASE_RECIPIENT',
      'RETENTION_DAYS_FREE_TEXT',
      'RETENTION_AUTO_ERASE',
      'RETENTION_INTERVAL_SECONDS',
    ]);
    expect(problems[0].reason).toMatch(
      /from 1 to 36500 \(0 is refused: to stop automatic erasure set RETENTION_AUTO_ERASE=false\) \(got 0\)/,
    );
    expect(new ConfigError(problems).message).toContain('RETENTION_DAYS_RELEASE_RECIPIENT: must be a whole number of days');
  });

  it('treats blank variables as unset', () => {
    expect(readRetentionSettings({ RETENTION_DAYS_WITNESS: ' ', RETENTION_AUTO_ERASE: '' }).settings).toEqual(DEFAULT_RETENTION);
  });
});
