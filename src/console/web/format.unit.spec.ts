import { indianDayOf } from '../../shared/indian-day';
import { dateTime, istInputToUtc, istNowForInput, parseList, parseRupees, parseWhole, quantity, rupees, todayIst, uuid } from './format';

describe('console formats', () => {
  it('writes paise as rupees with Indian grouping, exactly', () => {
    expect(rupees(125_000_000)).toBe('₹12,50,000.00');
    expect(rupees(129_800_050)).toBe('₹12,98,000.50');
    expect(rupees(5)).toBe('₹0.05');
    expect(rupees(0)).toBe('₹0.00');
    expect(rupees(Number.MAX_SAFE_INTEGER)).toBe('₹9,00,71,99,25,47,409.91');
  });

  it('reads rupees typed by people as integer paise, never through floating point', () => {
    expect(parseRupees('12,50,000')).toBe(125_000_000);
    expect(parseRupees('₹ 12,50,000.50')).toBe(125_000_050);
    expect(parseRupees('Rs. 0.29')).toBe(29);
    expect(parseRupees('1250000.5')).toBe(125_000_050);
    for (const bad of ['', 'abc', '1.234', '-5', '1e6', '12,50,000.00.0']) expect(parseRupees(bad)).toBeUndefined();
  });

  it('reads whole numbers and lists', () => {
    expect(parseWhole('48,000')).toBe(48_000);
    expect(parseWhole('4.5')).toBeUndefined();
    expect(parseWhole('99999999999999999')).toBeUndefined();
    expect(parseList(' S-1, S-2\nS-3,, ')).toEqual(['S-1', 'S-2', 'S-3']);
  });

  it('shows quantities in the API’s base units, cash as money', () => {
    expect(quantity(48_000, 'ml')).toBe('48,000 ml');
    expect(quantity(125_000_000, 'paise')).toBe('₹12,50,000.00');
  });

  it('reads a datetime-local value as IST and writes the UTC instant the API wants', () => {
    expect(istInputToUtc('2024-04-19T11:00')).toBe('2024-04-19T05:30:00.000Z');
    expect(istInputToUtc('2024-04-19')).toBeUndefined();
    const now = Date.parse('2024-04-19T20:00:00Z');
    expect(istNowForInput(now)).toBe('2024-04-20T01:30');
    expect(todayIst(now)).toBe('2024-04-20');
  });

  it.each([
    ['23:59 IST', '2024-04-19T18:29:00Z', '2024-04-19', '2024-04-19T23:59'],
    ['00:01 IST', '2024-04-19T18:31:00Z', '2024-04-20', '2024-04-20T00:01'],
    ['05:29 IST', '2024-04-19T23:59:00Z', '2024-04-20', '2024-04-20T05:29'],
    ['05:31 IST', '2024-04-20T00:01:00Z', '2024-04-20', '2024-04-20T05:31'],
  ])('at %s proposes the Indian day the server counts as today, and the IST minute', (_, instant, day, minute) => {
    const now = Date.parse(instant);
    expect(todayIst(now)).toBe(day);
    expect(todayIst(now)).toBe(indianDayOf(now));
    expect(istNowForInput(now)).toBe(minute);
    expect(istInputToUtc(minute)).toBe(new Date(instant).toISOString());
    expect(dateTime(instant)).toMatch(new RegExp(`${Number(day.slice(8))} Apr 2024, .* IST$`));
  });

  it('refuses a datetime-local value that names no instant, rather than rolling it over', () => {
    for (const bad of ['2024-02-30T10:00', '2023-02-29T10:00', '2024-04-19T24:00', '2024-04-19T10:61'])
      expect(istInputToUtc(bad)).toBeUndefined();
    expect(istInputToUtc('2024-02-29T23:59')).toBe('2024-02-29T18:29:00.000Z');
  });

  it('makes version 4 UUIDs without crypto.randomUUID, which plain-http pages lack', () => {
    const ids = new Set(Array.from({ length: 100 }, () => uuid()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
