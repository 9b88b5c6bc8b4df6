/**
 * The origin of a transparency log (https://c2sp.org/tlog-checkpoint): the first line of each of
 * its checkpoints and the name of its note key. Here so that the configuration checks LOG_ORIGIN
 * by the same rule the checkpoint code signs with.
 */

/** Go's unicode.IsSpace: ASCII white space, U+0085, U+00A0 and the Unicode White_Space characters. */
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** Origins at most this long (UTF-8 bytes), as the cosignature formats require of names. */
export const MAX_LOG_ORIGIN_BYTES = 255;

/** A note key name (golang.org/x/mod/sumdb/note): non-empty, valid UTF-16/UTF-8, no Unicode space, no '+'. */
export function isNoteKeyName(name: string): boolean {
  return name !== '' && !LONE_SURROGATE.test(name) && !UNICODE_SPACE.test(name) && !name.includes('+');
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Why `origin` cannot name this ledger's log, or undefined when it can. The spec only recommends a
 * schema-less URL; since the origin is also the log key's name, it must be a valid key name.
 */
export function logOriginProblem(origin: string): string | undefined {
  if (origin === '') return 'must not be empty';
  if (URL_SCHEME.test(origin)) return 'must be a schema-less URL such as ledger.example.gov.in/seizures (no https://)';
  if (hasControl(origin)) return 'must not contain control characters';
  if (!isNoteKeyName(origin)) return 'must not contain spaces or "+" (it is also the name of the log key)';
  if (new TextEncoder().encode(origin).length > MAX_LOG_ORIGIN_BYTES) return `must be at most ${MAX_LOG_ORIGIN_BYTES} bytes`;
  return undefined;
}

/** The origin of a log whose operator set none: unique per signing key, stable while the key is. */
export const defaultLogOrigin = (logId: string): string => `seizure-custody-ledger/${logId.slice(0, 16)}`;
