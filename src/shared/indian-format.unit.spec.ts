import { formatIstMinute, formatQuantity, formatRupees, groupIndian } from './indian-format';

describe('Indian formats', () => {
  it.each([
    ['0', '0'],
    ['999', '999'],
    ['1000', '1,000'],
    ['100000', '1,00,000'],
    ['1250000', '12,50,000'],
    ['125000000', '12,50,00,000'],
  ])('groups %s as %s', (digits, grouped) => {
    expect(groupIndian(digits)).toBe(grouped);
  });

  it.each([
    [25_000_000, '₹2,50,000.00'],
    [125_000_000, '₹12,50,000.00'],
    [5, '₹0.05'],
    [0, '₹0.00'],
    [-150, '-₹1.50'],
    [88_897_400_000_000, '₹8,88,97,40,00,000.00'],
  ])('prints %i paise as %s', (paise, text) => {
    expect(formatRupees(paise)).toBe(text);
  });

  it.each([[undefined], [Number.NaN], [1.5], ['100']])('says "not recorded" for an amount that is not whole paise (%p)', (paise) => {
    expect(formatRupees(paise as unknown as number)).toBe('not recorded');
  });

  it('takes another symbol where a font lacks the rupee sign', () => {
    expect(formatRupees(125_000_000, 'Rs ')).toBe('Rs 12,50,000.00');
  });

  it.each([
    [48_000, 'ml', '48 L'],
    [1_500, 'ml', '1.500 L'],
    [750, 'ml', '0.750 L'],
    [53_970_000_000, 'ml', '5,39,70,000 L'],
    [1_001, 'ml', '1.001 L'],
    [2_500, 'mg', '2.500 g'],
    [999_000, 'mg', '999 g'],
    [1_000_000, 'mg', '1 kg'],
    [2_500_000, 'mg', '2.500 kg'],
    [1_234_567, 'mg', '1,234.567 g'],
    [1, 'pieces', '1 piece'],
    [250_000, 'pieces', '2,50,000 pieces'],
    [25_000_000, 'paise', '₹2,50,000.00'],
  ])('prints %i %s as %s', (quantity, unit, text) => {
    expect(formatQuantity(quantity, unit)).toBe(text);
  });

  it('prints a unit or a number it cannot convert as stored, never rounded', () => {
    expect(formatQuantity(12, 'bottles')).toBe('12 bottles');
    expect(formatQuantity(1.5, 'ml')).toBe('1.5 ml');
    expect(formatQuantity(-3, 'mg')).toBe('-3 mg');
  });

  it.each([
    ['2024-04-19T18:29:00.000Z', '19 Apr 2024 23:59 IST'],
    ['2024-04-19T18:31:00.000Z', '20 Apr 2024 00:01 IST'],
    ['2024-12-31T23:59:59.999Z', '01 Jan 2025 05:29 IST'],
    ['2024-01-05T06:00:00.000Z', '05 Jan 2024 11:30 IST'],
  ])('prints %s as %s, whatever the machine zone', (iso, text) => {
    expect(formatIstMinute(iso)).toBe(text);
  });
});
