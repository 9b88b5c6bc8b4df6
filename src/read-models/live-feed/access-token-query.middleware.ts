import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Browsers' EventSource cannot send an Authorization header, so the live feed also takes the
 * token as `?access_token=`. Mounted on that route only: it turns the parameter into the header
 * before the rate limiter and the auth guard, so the one reading of the header (auth's
 * request-credentials) also reads this token, and its verified expiry ends the stream. A header,
 * when sent, wins.
 */
export function acceptAccessTokenQuery(request: IncomingMessage, _response: ServerResponse, next: () => void): void {
  if (request.headers.authorization === undefined) {
    const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('access_token');
    if (token !== null && token !== '') request.headers.authorization = `Bearer ${token}`;
  }
  next();
}
