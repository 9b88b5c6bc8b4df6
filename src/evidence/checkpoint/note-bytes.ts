/**
 * Bytes, UTF-8 and base64 for signed notes, written to behave exactly as Go's
 * encoding/base64.StdEncoding and unicode helpers do in golang.org/x/mod/sumdb/note, so that a
 * note this code accepts is one the Go reference accepts. Runs unchanged in Node, the CLI and a
 * browser: no Buffer, no atob.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE_OF = new Map([...ALPHABET].map((c, i) => [c, i]));

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** The text of valid UTF-8 bytes, or null for invalid UTF-8 (Go's RuneError of size 1). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i], bytes[i + 1] ?? 0, bytes[i + 2] ?? 0];
    out += ALPHABET[a >> 2] + ALPHABET[((a & 3) << 4) | (b >> 4)];
    out += i + 1 < bytes.length ? ALPHABET[((b & 15) << 2) | (c >> 6)] : '=';
    out += i + 2 < bytes.length ? ALPHABET[c & 63] : '=';
  }
  return out;
}

/**
 * Decodes standard base64 as Go's StdEncoding.DecodeString does: padding required, '=' only at
 * the end, CR and LF skipped, non-zero trailing bits accepted. Null where Go returns an error.
 */
export function fromBase64(text: string): Uint8Array | null {
  const clean = text.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0) return null;
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const body = clean.slice(0, clean.length - padding);
  const values: number[] = [];
  for (const c of body) {
    const v = VALUE_OF.get(c);
    if (v === undefined) return null;
    values.push(v);
  }
  // A single character left over in the last group cannot encode a byte.
  if (values.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((values.length * 6) / 8));
  let bits = 0;
  let count = 0;
  let o = 0;
  for (const v of values) {
    bits = ((bits << 6) | v) & 0xffffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[o++] = (bits >> count) & 0xff;
    }
  }
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function uint32ToBytes(value: number): Uint8Array {
  return new Uint8Array([(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

export function bytesToUint32(bytes: Uint8Array, offset = 0): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

/** A key ID as the eight lower-case hex digits of key strings and Go's `%08x`. */
export const keyIdHex = (keyId: number): string => keyId.toString(16).padStart(8, '0');

/** A key name: non-empty, valid UTF-8, no Unicode space, no '+' (shared with the configuration's LOG_ORIGIN check). */
export { isNoteKeyName as isValidKeyName } from '../../shared/log-origin';

/** Go's strings.Cut. */
export function cut(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + separator.length)];
}

/** Whether `text` holds an ASCII control character (below U+0020), a newline excepted when allowed. */
export function hasControlCharacter(text: string, options: { newlineAllowed: boolean }): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && !(options.newlineAllowed && code === 0x0a)) return true;
  }
  return false;
}
