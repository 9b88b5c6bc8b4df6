/**
 * The regular expressions request fields are checked with, named once. Each is both the
 * class-validator rule and the `pattern` the OpenAPI document states for the field, so what is
 * documented is what is checked.
 */

/** A state or union territory code: UP, MH, DL. */
export const STATE_CODE = /^[A-Z]{2,3}$/;
/** A district: its short code (UP-VNS) or the state and its LGD code (UP-187). */
export const DISTRICT_CODE = /^[A-Z]{2,3}-[A-Z0-9]{2,12}$/;
/** An identifier chosen by people: an item, election, challan or order number, a treasury. */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;
/** A SHA-256 as 64 lower-case hex digits. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
/** A calendar day written YYYY-MM-DD (whether the day exists is checked beside it). */
export const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An Indian vehicle registration number: UP65AB1234, spaces and hyphens allowed. */
export const VEHICLE_NUMBER = /^[A-Z0-9][A-Z0-9 -]{3,15}$/;
/** A phone number: 6 to 20 digits, optionally after a +, spaces and hyphens allowed. */
export const PHONE_NUMBER = /^\+?[0-9][0-9 -]{5,19}$/;

// The text policy (text-policy.ts) as patterns: no C0/C1 controls, no bidi controls; free text
// keeps newline and tab; codes also refuse zero-width characters and surrounding white space.
// A unit test checks them against describeBadCharacter for every character of the BMP.
const CONTROLS = '\\u0000-\\u001F\\u007F-\\u009F';
const FREE_CONTROLS = '\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F';
const BIDI = '\\u202A-\\u202E\\u2066-\\u2069';
const ZERO_WIDTH = '\\u200B-\\u200D\\u2060\\uFEFF';

export const TEXT_PATTERNS = {
  line: new RegExp(`^[^${CONTROLS}${BIDI}]*$`),
  free: new RegExp(`^[^${FREE_CONTROLS}${BIDI}]*$`),
  code: new RegExp(`^(?!\\s)(?![\\s\\S]*\\s$)[^${CONTROLS}${BIDI}${ZERO_WIDTH}]*$`),
} as const;
