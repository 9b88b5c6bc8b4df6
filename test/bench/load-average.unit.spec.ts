import { checkLoadAverage } from '../../bench/report/load-average';

describe('load average before the bench', () => {
  it('warns, naming the figure, when it is above 1', () => {
    const check = checkLoadAverage(false, 2.5);
    expect(check).toMatchObject({ oneMinute: 2.5, checked: true });
    expect(check.warning).toContain('WARNING: load average 2.50');
  });

  it('says nothing at 1 or below', () => {
    expect(checkLoadAverage(false, 1).warning).toBeNull();
  });

  it('says nothing when the check is skipped, but still records the figure', () => {
    expect(checkLoadAverage(true, 7)).toEqual({ oneMinute: 7, checked: false, warning: null });
  });
});
