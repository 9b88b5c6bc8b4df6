/**
 * Amounts, quantities and times as Indian registers print them: rupees in the Indian grouping
 * (₹12,50,000.00), litres, grams and pieces from the base units the ledger stores (paise, ml, mg,
 * pieces), and times in IST to the minute. Computed by hand, so the text does not depend on the
 * ICU data of the Node build (or the time zone of the machine) that happens to print it.
 */
import { indianWallClockOf } from './indian-day';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Digits of a non-negative integer in the Indian grouping: 12,50,00,000 (the last three, then pairs). */
export function groupIndian(digits: string): string {
  const lastThree = digits.slice(-3);
  const head = digits.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return head === '' ? lastThree : `${head},${lastThree}`;
}

/** An integer count of thousandths as `whole.fff`, the decimals left out when they are zero; Indian grouping. */
function thousandths(value: number): string {
  const whole = groupIndian(Math.floor(value / 1000).toString());
  const rest = value % 1000;
  return rest === 0 ? whole : `${whole}.${rest.toString().padStart(3, '0')}`;
}

/** ₹12,50,000.00 for 125000000 paise; `symbol` is 'Rs ' where a font lacks the rupee sign. */
export function formatRupees(paise: number, symbol = '₹'): string {
  // A bundle is printed as it was signed: an amount missing from an old or foreign event says so, never "NaN".
  if (!Number.isSafeInteger(paise)) return 'not recorded';
  const negative = paise < 0;
  const abs = Math.abs(paise);
  const rupees = groupIndian(Math.floor(abs / 100).toString());
  const rest = (abs % 100).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${symbol}${rupees}.${rest}`;
}

/**
 * A stored quantity in the unit a reader expects: paise as rupees, ml as litres (3 decimals where
 * not whole), mg as kilograms when a whole number of grams of 1 kg or more, else as grams (3
 * decimals where not whole), pieces as pieces. Never rounds: every stored unit is still there.
 * A unit this release does not know is printed as stored.
 */
export function formatQuantity(quantity: number, unit: string): string {
  if (!Number.isSafeInteger(quantity) || quantity < 0) return `${quantity} ${unit}`;
  switch (unit) {
    case 'paise':
      return formatRupees(quantity);
    case 'ml':
      return `${thousandths(quantity)} L`;
    case 'mg':
      if (quantity >= 1_000_000 && quantity % 1000 === 0) return `${thousandths(quantity / 1000)} kg`;
      return `${thousandths(quantity)} g`;
    case 'pieces':
      return `${groupIndian(quantity.toString())} ${quantity === 1 ? 'piece' : 'pieces'}`;
    default:
      return `${quantity} ${unit}`;
  }
}

/** '19 Apr 2024 11:00 IST' for a UTC instant: the day and minute an officer would write. */
export function formatIstMinute(instant: string | number): string {
  const wall = indianWallClockOf(instant);
  const month = MONTHS[Number(wall.slice(5, 7)) - 1];
  return `${wall.slice(8, 10)} ${month} ${wall.slice(0, 4)} ${wall.slice(11, 16)} IST`;
}
