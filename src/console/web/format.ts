/**
 * How the console writes and reads money, quantities and times. The API speaks integer paise,
 * integer base units (ml, mg, pieces) and UTC instants; people read rupees grouped the Indian way
 * (₹12,50,000.00), and times in IST.
 *
 * Days and wall-clock times come from the server's own helpers (src/shared/indian-day, served to
 * the browser like any other module), so a date the form proposes is the day decide counts as
 * today, whatever zone the officer's device is set to.
 */

import { indianDayOf, indianWallClockOf, instantOfIndianWallClock } from '../../shared/indian-day';

const GROUPED = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });
const IST_DATE_TIME = new Intl.DateTimeFormat('en-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'medium', timeStyle: 'short' });

/** An integer count with Indian grouping: 12,50,000. */
export const grouped = (value: number): string => GROUPED.format(value);

/** Paise as rupees, exactly (integer arithmetic, no floating point): 125000050 → ₹12,50,000.50. */
export function rupees(paise: number): string {
  const sign = paise < 0 ? '−' : '';
  const absolute = Math.abs(paise);
  return `${sign}₹${GROUPED.format(Math.floor(absolute / 100))}.${String(absolute % 100).padStart(2, '0')}`;
}

/** A quantity in the base unit the API gives: 48,000 ml, 2,500 pieces; cash (counted in paise) as money, ₹12,50,000.00. */
export function quantity(amount: number, unit: string): string {
  return unit === 'paise' ? rupees(amount) : `${grouped(amount)} ${unit}`;
}

/** An instant in IST: 20 Apr 2024, 11:30 am IST. */
export function dateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${IST_DATE_TIME.format(date)} IST`;
}

/**
 * Rupees typed by a person (₹12,50,000.50, 1250000, 1250000.5) to integer paise, or undefined when
 * it is not an amount. Parsed as text, so 0.29 is 29 paise, never 28.999….
 */
export function parseRupees(text: string): number | undefined {
  const clean = text.replace(/[₹,\s]/g, '').replace(/^Rs\.?/i, '');
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(clean);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** A whole number typed by a person, allowing Indian or Western grouping commas. */
export function parseWhole(text: string): number | undefined {
  const clean = text.replace(/[,\s]/g, '');
  if (!/^\d{1,15}$/.test(clean)) return undefined;
  const value = Number(clean);
  return Number.isSafeInteger(value) ? value : undefined;
}

// Date.now() is the device's clock as epoch milliseconds, the same in every zone; only the
// reading of it as a day or a wall-clock time needs IST, and that is the helpers' job.

/** Now in IST as a datetime-local value (YYYY-MM-DDTHH:mm), the form's default for "seized at". */
export function istNowForInput(now = Date.now()): string {
  return indianWallClockOf(now).slice(0, 16);
}

/** A datetime-local value (YYYY-MM-DDTHH:mm) read as IST, as the UTC instant the API wants (…Z), or undefined. */
export function istInputToUtc(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  try {
    return instantOfIndianWallClock(value);
  } catch {
    return undefined; // 2024-02-30T10:00 names no instant: refuse it rather than roll into March.
  }
}

/** Today's date in IST, YYYY-MM-DD: the default of the deposit, FIR and order date fields. */
export function todayIst(now = Date.now()): string {
  return indianDayOf(now);
}

/** A list typed with commas or new lines: "S-1, S-2" → ["S-1", "S-2"]. */
export function parseList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A fresh UUID (v4). crypto.randomUUID exists only on https or localhost; getRandomValues everywhere. */
export function uuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What the console shows where the API withheld personal data from the user's role. */
export const WITHHELD = 'withheld: your role does not grant access to personal data';

/** The API's marker for a withheld value ({ redacted: true, reason }). */
export const isRedacted = (value: unknown): value is { redacted: true } =>
  value !== null && typeof value === 'object' && 'redacted' in value;

/** A text field that may have been withheld, as shown. */
export const shownText = (value: string | { redacted: true }): string => (isRedacted(value) ? WITHHELD : value);
