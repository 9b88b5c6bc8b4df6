/**
 * Reading the bundle's opaque JSON for print, defensively: the printout must print any valid
 * bundle. A value the caller's view left out (`{ redacted: true, … }`) prints as "withheld"; one
 * whose data subject was erased as "erased on <IST> under <order>".
 */
import { formatIstMinute } from '../../../shared/indian-format';
import type { JsonValue } from '../../../shared/json';

export const WITHHELD = 'withheld';

type Obj = { [key: string]: JsonValue };

export const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isWithheld = (v: JsonValue | undefined): boolean => isObj(v) && v.redacted === true;

/** A value whose data subject was erased (opened-data.ts puts the marker in its place). */
export const isErased = (v: JsonValue | undefined): boolean => isObj(v) && v.erased === true;

/** 'erased on 1 May 2024 11:30 IST under DGC/VNS/2024/9' for an erased value's marker. */
export function erasedText(v: JsonValue | undefined): string {
  if (!isObj(v)) return '';
  const at = plainText(v.erasedAt);
  let on: string;
  try {
    on = formatIstMinute(at);
  } catch {
    on = at;
  }
  return typeof v.orderReference === 'string' ? `erased on ${on} under ${v.orderReference}` : `erased on ${on}`;
}

/** A scalar as text; a redaction marker as "withheld"; anything else as compact JSON. */
export function plainText(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isWithheld(v)) return WITHHELD;
  if (isErased(v)) return erasedText(v);
  return JSON.stringify(v);
}

/** A person's or unit's name, with a designation where there is one; "withheld" for a redacted one. */
export function personName(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return 'not recorded';
  if (!isObj(v)) return plainText(v);
  if (isWithheld(v)) return WITHHELD;
  if (isErased(v)) return erasedText(v);
  const name = isWithheld(v.name) ? WITHHELD : plainText(v.name);
  const designation = plainText(v.designation);
  if (name === '') return plainText(v.sub ?? v.id) || 'not recorded';
  return designation === '' ? name : `${name}, ${designation}`;
}

/** A list of people ("withheld" if the list itself was redacted). */
export function peopleNames(v: JsonValue | undefined): string {
  if (isWithheld(v)) return WITHHELD;
  if (isErased(v)) return erasedText(v);
  if (!Array.isArray(v) || v.length === 0) return 'none recorded';
  return v.map(personName).join('; ');
}
