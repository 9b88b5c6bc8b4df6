/**
 * What text the ledger accepts into its permanent, hashed record. A stored string is evidence: it
 * must display the same everywhere and mean one thing, so characters that are invisible, that
 * reorder what is displayed, or that are not text at all are refused with the reason and place.
 *
 * - line: names, addresses, places — no control characters at all.
 * - free: remarks and reasons — as line, but newline and tab are allowed.
 * - code: memo, FIR, seal and reference numbers — as line, and no zero-width characters (which
 *   would make two codes that look the same differ) nor leading or trailing spaces.
 * Zero-width joiners stay allowed in names: Devanagari and other Indic scripts need them.
 */
export type TextKind = 'line' | 'free' | 'code';

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/;

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

function isControl(code: number, kind: TextKind): boolean {
  if (kind === 'free' && (code === 0x0a || code === 0x09)) return false;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/** Why `value` may not be stored as text of this kind, or undefined when it may. */
export function describeBadCharacter(value: string, kind: TextKind): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const at = `at character ${i + 1}`;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `holds a lone UTF-16 surrogate ${hex(code)} ${at}: it is not a character; send valid UTF-8 text`;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      return `holds a lone UTF-16 surrogate ${hex(code)} ${at}: it is not a character; send valid UTF-8 text`;
    }
    if (isControl(code, kind)) {
      const allowed =
        kind === 'free' ? 'only newline and tab are allowed' : 'newlines and tabs are allowed only in free text such as remarks';
      return `must not contain the control character ${hex(code)} ${at}; ${allowed}`;
    }
    const char = value[i];
    if (BIDI_CONTROLS.test(char)) {
      return `must not contain the bidirectional control ${hex(code)} ${at}: it changes the order in which text is displayed`;
    }
    if (kind === 'code' && ZERO_WIDTH.test(char)) {
      return `must not contain the invisible character ${hex(code)} ${at}: codes are compared letter by letter`;
    }
  }
  if (kind === 'code' && value !== value.trim()) return 'must not begin or end with a space';
  return undefined;
}
