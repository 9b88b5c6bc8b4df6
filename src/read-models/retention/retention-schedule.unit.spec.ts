import { DEFAULT_RETENTION_DAYS } from '../../config/retention-settings';
import { erasureDue, retentionCategoryOf, retentionOrderReference } from './retention-schedule';

const days = { 'seized-from': 1096, witness: 365, 'release-recipient': 1000, 'free-text': 1 };

describe('retention schedule', () => {
  it('puts every data subject in its category, and nothing outside the vocabulary', () => {
    expect(['seized-from', 'witness-1', 'witness-12', 'release-recipient-3', 'free-text'].map(retentionCategoryOf)).toEqual([
      'seized-from',
      'witness',
      'witness',
      'release-recipient',
      'free-text',
    ]);
    expect(['witness-0', 'witness', 'release-recipient-', 'Ramesh', ''].map(retentionCategoryOf)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('applies each category’s own period', () => {
    const start = '2024-05-01T06:00:00.000Z'; // 11:30 IST on 1 May 2024
    expect(erasureDue(start, 'seized-from', { days })).toEqual({
      category: 'seized-from',
      retentionDays: 1096,
      dueDay: '2027-05-03',
      dueAt: '2027-05-02T18:30:00.000Z',
    });
    expect(erasureDue(start, 'witness-2', { days })?.dueDay).toBe('2025-05-02');
    expect(erasureDue(start, 'release-recipient-1', { days })?.dueDay).toBe('2027-01-27');
    expect(erasureDue(start, 'free-text', { days })?.dueDay).toBe('2024-05-03');
    expect(erasureDue(start, 'someone', { days })).toBeUndefined();
  });

  it('counts from the Indian day the clock started, whatever its UTC day, and keeps that day whole plus the period', () => {
    // 23:59 IST on 1 May and 00:00 IST on 2 May are one minute apart, and a day apart in what they keep.
    expect(erasureDue('2024-05-01T18:29:00.000Z', 'free-text', { days })).toMatchObject({
      dueDay: '2024-05-03',
      dueAt: '2024-05-02T18:30:00.000Z',
    });
    expect(erasureDue('2024-05-01T18:30:00.000Z', 'free-text', { days })).toMatchObject({
      dueDay: '2024-05-04',
      dueAt: '2024-05-03T18:30:00.000Z',
    });
  });

  it('never falls due before the period has run in full, across a leap day', () => {
    // Three years from 1 March 2023 span 29 February 2024: 1096 days keep the data through 1 March 2026 and a day more.
    const due = erasureDue('2023-03-01T04:00:00.000Z', 'seized-from', { days: DEFAULT_RETENTION_DAYS });
    expect(due?.dueDay).toBe('2026-03-02');
  });

  it('names the rule it follows in the order reference', () => {
    expect(retentionOrderReference({ category: 'witness', retentionDays: 365 })).toBe('retention:witness:365d');
  });
});
