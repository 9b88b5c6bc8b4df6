/**
 * Indian days. Officers, registers and orders count days in IST (UTC+05:30, no daylight saving),
 * while every instant the ledger stores is UTC from the injected clock. These helpers are the one
 * place the offset lives, so no day is ever taken from a UTC timestamp or the process's TZ.
 */

export const IST_OFFSET_MS = (5 * 60 + 30) * 60_000;
const DAY_MS = 24 * 3_600_000;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The Indian calendar day (YYYY-MM-DD) of a UTC instant. */
export function indianDayOf(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return new Date(ms + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant an Indian day begins (00:00 IST), as UTC ISO-8601. */
export function startOfIndianDay(day: string): string {
  return new Date(dayStartMs(day)).toISOString();
}

/**
 * The instant the Indian day `plusDays` after `day` ends, as UTC ISO-8601: 00:00 IST of the day
 * after it, exclusive. "Within 7 days of the poll" means before this instant.
 */
export function endOfIndianDay(day: string, plusDays = 0): string {
  return new Date(dayStartMs(day) + (plusDays + 1) * DAY_MS).toISOString();
}

/** The Indian day `days` after `day` (negative for before). */
export function addIndianDays(day: string, days: number): string {
  return new Date(dayStartMs(day) + days * DAY_MS + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** `2024-04-19 11:00:00 IST` for a UTC instant: how registers and certificates write a time. */
export function formatIndianDateTime(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  const shifted = new Date(ms + IST_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)} IST`;
}

function dayStartMs(day: string): number {
  const match = DAY.exec(day);
  if (!match) throw new RangeError(`not a calendar day (YYYY-MM-DD): ${day}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - IST_OFFSET_MS;
}
