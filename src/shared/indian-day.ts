/**
 * Indian days. Officers, registers and orders count days in IST (UTC+05:30, no daylight saving),
 * while every instant the ledger stores is UTC from the injected clock. These helpers are the one
 * place the offset lives, so no day is ever taken from a UTC timestamp or the process's TZ.
 *
 * Only UTC arithmetic on epoch milliseconds is used (Date.UTC, toISOString), never the local-time
 * methods of Date, so the answers are the same on any server and in any browser, whatever its zone.
 */

export const IST_OFFSET_MS = (5 * 60 + 30) * 60_000;
const DAY_MS = 24 * 3_600_000;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A wall-clock reading in IST without an offset, as an HTML datetime-local input gives it. */
const WALL_CLOCK = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** The Indian calendar day (YYYY-MM-DD) of a UTC instant. */
export function indianDayOf(instant: string | number): string {
  return indianWallClockOf(instant).slice(0, 10);
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
  return indianDayOf(dayStartMs(day) + days * DAY_MS);
}

/** Whether `text` is a real calendar day written YYYY-MM-DD (not 2023-02-29, not 2024-04-31). */
export function isCalendarDay(text: string): boolean {
  return calendarDayMs(text) !== undefined;
}

/** `2024-04-19 11:00:00 IST` for a UTC instant: how registers and certificates write a time. */
export function formatIndianDateTime(instant: string | number): string {
  const wallClock = indianWallClockOf(instant);
  return `${wallClock.slice(0, 10)} ${wallClock.slice(11, 19)} IST`;
}

/** The IST wall clock of a UTC instant, YYYY-MM-DDTHH:mm:ss.sss with no offset. */
export function indianWallClockOf(instant: string | number): string {
  // Shifting the instant by the offset and reading it as UTC gives the IST reading, in any TZ.
  return new Date(instantMs(instant) + IST_OFFSET_MS).toISOString().slice(0, 23);
}

/**
 * An IST wall-clock reading (YYYY-MM-DDTHH:mm, seconds and milliseconds optional) as the UTC
 * instant it names, ISO-8601. Throws a RangeError on anything else, 2024-02-30 and 24:00 included.
 */
export function instantOfIndianWallClock(wallClock: string): string {
  const match = WALL_CLOCK.exec(wallClock);
  const dayMs = match ? calendarDayMs(match[1]) : undefined;
  if (!match || dayMs === undefined) throw new RangeError(`not an IST date and time (YYYY-MM-DDTHH:mm): ${wallClock}`);
  const [hours, minutes, seconds] = [match[2], match[3], match[4] ?? '0'].map(Number);
  if (hours > 23 || minutes > 59 || seconds > 59) throw new RangeError(`not an IST date and time (YYYY-MM-DDTHH:mm): ${wallClock}`);
  const ms = Number((match[5] ?? '').padEnd(3, '0'));
  return new Date(dayMs - IST_OFFSET_MS + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms).toISOString();
}

/** Epoch milliseconds of an instant, refusing what is not one rather than computing with NaN. */
function instantMs(instant: string | number): number {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new RangeError(`not an instant: ${String(instant)}`);
  return ms;
}

/** 00:00 IST of `day`, in epoch milliseconds. */
function dayStartMs(day: string): number {
  const ms = calendarDayMs(day);
  if (ms === undefined) throw new RangeError(`not a calendar day (YYYY-MM-DD): ${day}`);
  return ms - IST_OFFSET_MS;
}

/** 00:00 UTC of a YYYY-MM-DD day, or undefined when it is not a real day: Date.UTC would roll 02-30 over into March. */
function calendarDayMs(day: string): number | undefined {
  const match = DAY.exec(day);
  if (!match) return undefined;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, date);
  // Date.UTC maps years 0–99 to 1900–1999; such days are no day a register holds anyway.
  const roundTrips = new Date(ms).toISOString().slice(0, 10) === day;
  return roundTrips ? ms : undefined;
}
