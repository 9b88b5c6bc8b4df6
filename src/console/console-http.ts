import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONSOLE_PREFIX, importMapCspSource, type ConsoleAssets, type ServedFile, prepareForServing } from './console-assets';

/** The console's files, ready to serve, with the Content-Security-Policy that fits its page. */
export interface ServedConsole {
  files: Map<string, ServedFile>;
  contentSecurityPolicy: string;
  totalBytes: number;
  totalGzipBytes: number;
  origin: ConsoleAssets['origin'];
  /** Files made on first request (the fonts, when serving from the sources), ready to serve; absent once added to `files`. */
  lateFiles?: () => Promise<Map<string, ServedFile>>;
}

/**
 * The console runs only its own files: no inline script but the import map (pinned by its hash),
 * no inline style attributes, no plugins, no framing, and it talks only to this server.
 */
export function contentSecurityPolicy(importMapJson: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${importMapCspSource(importMapJson)}`,
    "style-src 'self'",
    "img-src 'self' blob:",
    // The Devanagari subsets (console-fonts.ts), so Hindi never depends on the device's fonts.
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function serveConsole(assets: ConsoleAssets): ServedConsole {
  const files = prepareForServing(assets);
  let totalBytes = 0;
  let totalGzipBytes = 0;
  for (const file of files.values()) {
    totalBytes += file.body.length;
    totalGzipBytes += file.gzip.length;
  }
  const late = assets.lateFiles;
  let made: Promise<Map<string, ServedFile>> | undefined;
  // Made once; a failure is reported to that request and tried again on the next.
  const lateFiles = late
    ? (): Promise<Map<string, ServedFile>> => {
        made ??= late().then((extra) => prepareForServing({ ...assets, files: extra }));
        made.catch(() => (made = undefined));
        return made;
      }
    : undefined;
  return {
    files,
    contentSecurityPolicy: contentSecurityPolicy(assets.importMapJson),
    totalBytes,
    totalGzipBytes,
    origin: assets.origin,
    lateFiles,
  };
}

/** Whether a request is for the console at all: the page at `/`, or a file under /console/. */
export function isConsolePath(path: string): boolean {
  return path === '/' || path === '/index.html' || path.startsWith(CONSOLE_PREFIX);
}

function acceptsGzip(request: IncomingMessage): boolean {
  const header = request.headers['accept-encoding'];
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return coding === 'gzip' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * Answers one console request: the file with its security headers, 304 when the browser already
 * has it. Returns false when the path is not a console file, so the caller lets the API answer
 * (a 404 problem for an unknown /console/ path).
 */
export function answerConsoleRequest(console: ServedConsole, path: string, request: IncomingMessage, response: ServerResponse): boolean {
  const file = console.files.get(path === '/index.html' ? '/' : path);
  if (file === undefined) return false;

  response.setHeader('Content-Type', file.contentType);
  response.setHeader('Content-Security-Policy', console.contentSecurityPolicy);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // Revalidated on every load (a 304 is a few hundred bytes), so a new release is never mixed with cached old modules.
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('ETag', file.etag);
  response.setHeader('Vary', 'Accept-Encoding');

  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag)) {
    response.statusCode = 304;
    response.end();
    return true;
  }
  // Already compressed files (the WOFF2 fonts) go as they are: gzip would only add its header.
  const gzip = acceptsGzip(request) && file.gzip.length < file.body.length;
  const body = gzip ? file.gzip : file.body;
  if (gzip) response.setHeader('Content-Encoding', 'gzip');
  response.setHeader('Content-Length', String(body.length));
  response.statusCode = 200;
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}
