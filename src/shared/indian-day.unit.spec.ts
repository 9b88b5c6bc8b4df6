import {
  addIndianDays,
  endOfIndianDay,
  formatIndianDateTime,
  IST_OFFSET_MS,
  indianDayOf,
  indianWallClockOf,
  instantOfIndianWallClock,
  isCalendarDay,
  startOfIndianDay,
} from './indian-day';

/**
 * The four instants where a day taken from UTC, or from the server's zone, goes wrong: either
 * side of Indian midnight (18:30 UTC) and either side of UTC midnight (05:30 IST).
 */
const EDGES = [
  { ist: '2024-04-19 23:59', utc: '2024-04-19T18:29:00.000Z', indianDay: '2024-04-19', utcDay: '2024-04-19' },
  { ist: '2024-04-20 00:01', utc: '2024-04-19T18:31:00.000Z', indianDay: '2024-04-20', utcDay: '2024-04-19' },
  { ist: '2024-04-20 05:29', utc: '2024-04-19T23:59:00.000Z', indianDay: '2024-04-20', utcDay: '2024-04-19' },
  { ist: '2024-04-20 05:31', utc: '2024-04-20T00:01:00.000Z', indianDay: '2024-04-20', utcDay: '2024-04-20' },
];

describe('Indian days (IST, UTC+05:30)', () => {
  it('is five and a half hours ahead of UTC', () => {
    expect(IST_OFFSET_MS).toBe(19_800_000);
  });

  describe.each(EDGES)('at $ist IST ($utc)', ({ ist, utc, indianDay }) => {
    it(`is ${indianDay} in India`, () => {
      expect(indianDayOf(utc)).toBe(indianDay);
      expect(indianDayOf(Date.parse(utc))).toBe(indianDay);
    });

    it('reads the IST wall clock and writes it as registers do, and back', () => {
      expect(formatIndianDateTime(utc)).toBe(`${ist}:00 IST`);
      expect(indianWallClockOf(utc)).toBe(`${ist.replace(' ', 'T')}:00.000`);
      expect(instantOfIndianWallClock(ist.replace(' ', 'T'))).toBe(utc);
    });

    it('lies within its Indian day: from its start, before its end', () => {
      expect(Date.parse(startOfIndianDay(indianDay))).toBeLessThanOrEqual(Date.parse(utc));
      expect(Date.parse(endOfIndianDay(indianDay))).toBeGreaterThan(Date.parse(utc));
    });
  });

  it('differs from the UTC day in the hours after Indian midnight', () => {
    const differing = EDGES.filter((edge) => edge.indianDay !== edge.utcDay).map((edge) => edge.ist);
    expect(differing).toEqual(['2024-04-20 00:01', '2024-04-20 05:29']);
  });

  it('turns the day at 18:30 UTC exactly, to the millisecond', () => {
    expect(indianDayOf('2024-04-19T18:29:59.999Z')).toBe('2024-04-19');
    expect(indianDayOf('2024-04-19T18:30:00.000Z')).toBe('2024-04-20');
    expect(indianDayOf('2024-04-20T05:30:00+05:30')).toBe('2024-04-20');
  });

  it('starts a day at 00:00 IST and ends it, exclusive, at 00:00 IST of the next', () => {
    expect(startOfIndianDay('2024-04-20')).toBe('2024-04-19T18:30:00.000Z');
    expect(endOfIndianDay('2024-04-20')).toBe('2024-04-20T18:30:00.000Z');
    expect(endOfIndianDay('2024-04-20', 0)).toBe(startOfIndianDay('2024-04-21'));
  });

  it('ends the seventh day after the poll at midnight IST: 18:30 UTC on poll day + 7', () => {
    expect(endOfIndianDay('2024-06-01', 7)).toBe('2024-06-08T18:30:00.000Z');
    expect(indianDayOf('2024-06-08T18:29:59.999Z')).toBe('2024-06-08');
  });

  it('crosses month and year ends', () => {
    expect(indianDayOf('2024-04-30T18:30:00.000Z')).toBe('2024-05-01');
    expect(indianDayOf('2024-12-31T18:29:59.999Z')).toBe('2024-12-31');
    expect(indianDayOf('2024-12-31T18:30:00.000Z')).toBe('2025-01-01');
    expect(startOfIndianDay('2025-01-01')).toBe('2024-12-31T18:30:00.000Z');
    expect(endOfIndianDay('2024-12-31')).toBe('2024-12-31T18:30:00.000Z');
    expect(endOfIndianDay('2024-12-28', 7)).toBe('2025-01-04T18:30:00.000Z');
    expect(endOfIndianDay('2024-05-28', 7)).toBe('2024-06-04T18:30:00.000Z');
    expect(addIndianDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addIndianDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addIndianDays('2024-04-30', 1)).toBe('2024-05-01');
    expect(addIndianDays('2024-06-01', 7)).toBe('2024-06-08');
    expect(addIndianDays('2024-06-01', 0)).toBe('2024-06-01');
    expect(formatIndianDateTime('2024-12-31T18:30:00.000Z')).toBe('2025-01-01 00:00:00 IST');
  });

  it('knows leap days', () => {
    expect(indianDayOf('2024-02-28T18:30:00.000Z')).toBe('2024-02-29');
    expect(indianDayOf('2024-02-29T18:30:00.000Z')).toBe('2024-03-01');
    expect(indianDayOf('2023-02-28T18:30:00.000Z')).toBe('2023-03-01');
    expect(addIndianDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addIndianDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addIndianDays('2024-02-22', 7)).toBe('2024-02-29');
    expect(endOfIndianDay('2024-02-22', 7)).toBe('2024-02-29T18:30:00.000Z');
    expect(startOfIndianDay('2024-02-29')).toBe('2024-02-28T18:30:00.000Z');
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2000-02-29')).toBe(true);
    expect(isCalendarDay('2023-02-29')).toBe(false);
    expect(isCalendarDay('1900-02-29')).toBe(false);
  });

  it('refuses what is not a calendar day, rather than rolling it into the next month', () => {
    for (const bad of [
      '2024-02-30',
      '2023-02-29',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-04-00',
      '2024-4-9',
      '19-04-2024',
      '2024-04-19T00:00:00Z',
      '',
      ' 2024-04-19',
      '0024-04-19',
    ]) {
      expect(isCalendarDay(bad)).toBe(false);
      expect(() => startOfIndianDay(bad)).toThrow(RangeError);
      expect(() => endOfIndianDay(bad, 7)).toThrow(RangeError);
      expect(() => addIndianDays(bad, 1)).toThrow(RangeError);
    }
  });

  it('refuses what is not an instant, rather than answering "Invalid Date" or NaN', () => {
    for (const bad of ['', 'yesterday', '2024-04-19T25:00:00Z', 'NaN']) {
      expect(() => indianDayOf(bad)).toThrow(RangeError);
      expect(() => formatIndianDateTime(bad)).toThrow(RangeError);
    }
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 9e15]) expect(() => indianDayOf(bad)).toThrow(RangeError);
  });

  it('reads an IST wall clock, and refuses readings that name no instant', () => {
    expect(instantOfIndianWallClock('2024-04-19T11:00')).toBe('2024-04-19T05:30:00.000Z');
    expect(instantOfIndianWallClock('2024-04-20T00:00:00')).toBe('2024-04-19T18:30:00.000Z');
    expect(instantOfIndianWallClock('2024-04-20T05:29:59.5')).toBe('2024-04-19T23:59:59.500Z');
    for (const bad of [
      '2024-02-30T10:00',
      '2024-04-19T24:00',
      '2024-04-19T10:60',
      '2024-04-19T10:00:60',
      '2024-04-19',
      '2024-04-19T10:00Z',
      '2024-04-19T10:00+05:30',
      '2024-04-19 10:00',
    ]) {
      expect(() => instantOfIndianWallClock(bad)).toThrow(RangeError);
    }
  });
});
