import * as crypto from 'node:crypto';

type Encoding = 'hex' | 'base64';

/**
 * SHA-256 of a string, as hex or base64. Uses Node's one-shot crypto.hash (Node ≥ 20.12; about
 * twice as fast for short inputs, no Hash object per call) where there is one, else createHash.
 */
export const sha256: (text: string, encoding: Encoding) => string =
  typeof crypto.hash === 'function'
    ? (text, encoding) => crypto.hash('sha256', text, encoding)
    : (text, encoding) => crypto.createHash('sha256').update(text).digest(encoding);
