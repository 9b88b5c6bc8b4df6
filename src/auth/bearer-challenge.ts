import type { ServerResponse } from 'node:http';

export const AUTH_REALM = 'seizure-custody-ledger';

export type BearerError = 'invalid_token';

/** RFC 6750 §3: error_description allows printable ASCII except `"` and `\`. */
function headerSafe(text: string): string {
  const safe = text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');
  return safe.length > 200 ? `${safe.slice(0, 197)}...` : safe;
}

/**
 * Sets the `WWW-Authenticate` challenge every 401 must carry (RFC 9110 §11.6.1). Without
 * credentials, no error code is given (RFC 6750 §3.1); with a bad token, why it was refused.
 */
export function setBearerChallenge(response: ServerResponse, error?: { code: BearerError; description: string }): void {
  const parts = [`realm="${AUTH_REALM}"`];
  if (error) parts.push(`error="${error.code}"`, `error_description="${headerSafe(error.description)}"`);
  response.setHeader('WWW-Authenticate', `Bearer ${parts.join(', ')}`);
}
