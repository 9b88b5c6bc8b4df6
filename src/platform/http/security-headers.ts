import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Without it a browser may sniff a JSON or problem body (or an attachment) as HTML and run it;
 * set on every response, before any route or filter answers.
 */
export function noSniff(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  next();
}

/**
 * The default for every answer: most depend on the bearer token (scope, role, personal-data
 * access) and many hold personal data, so shared caches must key them on the token and no cache
 * may keep them. Answers that may be kept say so themselves (the console's files, Swagger UI, a
 * redacted seizure, attachments), which replaces this Cache-Control; Vary is only ever added to.
 */
export function privateByDefault(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
  response.setHeader('Vary', 'Authorization');
  response.setHeader('Cache-Control', 'private, no-store');
  next();
}

/**
 * Swagger UI at /docs: its own script and style files only, no framing. Its page carries inline
 * `<style>` blocks and the UI sets style attributes, so styles (never scripts) allow 'unsafe-inline';
 * its icons are data: SVGs.
 */
export const SWAGGER_UI_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function swaggerUiHeaders(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
  response.setHeader('Content-Security-Policy', SWAGGER_UI_CONTENT_SECURITY_POLICY);
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'no-referrer');
  // The same for everyone and holding no personal data: revalidated by ETag, not refetched.
  response.setHeader('Cache-Control', 'no-cache');
  next();
}
