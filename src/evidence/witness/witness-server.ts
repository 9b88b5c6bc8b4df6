/**
 * The witness's HTTP service, plain node:http: `POST /add-checkpoint` (cosigning) and
 * `GET /<hex SHA-256 of origin>/checkpoint` (the latest cosigned checkpoint, for monitors). There is
 * no authentication, as in the spec: a request is only as good as the log signature it carries.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADD_CHECKPOINT_PATH } from './add-checkpoint';
import type { Witness } from './witness';

/** 63 proof lines of 45 bytes and a checkpoint note with a few signatures fit well within this. */
export const MAX_REQUEST_BYTES = 64 * 1024;
const MONITOR_PATH = /^\/([0-9a-f]{64})\/checkpoint$/;

export interface RunningWitness {
  /** `http://host:port`, the submission and monitoring prefix. */
  url: string;
  close(): Promise<void>;
}

interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

function send(res: ServerResponse, { status, contentType, body }: HttpAnswer): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

const plain = (status: number, body: string): HttpAnswer => ({ status, contentType: 'text/plain; charset=utf-8', body });

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(witness: Witness, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === ADD_CHECKPOINT_PATH) {
    if (req.method !== 'POST') return send(res, plain(405, 'use POST\n'));
    const body = await readBody(req);
    if (body === null) return send(res, plain(413, `the body is larger than ${MAX_REQUEST_BYTES} bytes\n`));
    return send(res, witness.addCheckpoint(body));
  }
  const monitored = MONITOR_PATH.exec(path);
  if (monitored !== null && (req.method === 'GET' || req.method === 'HEAD')) return send(res, witness.checkpointByOriginHash(monitored[1]));
  send(res, plain(404, 'not found\n'));
}

export function startWitnessServer(
  witness: Witness,
  options: { host: string; port: number; onError?: (error: Error) => void },
): Promise<RunningWitness> {
  const server: Server = createServer((req, res) => {
    handle(witness, req, res).catch((error: unknown) => {
      options.onError?.(error as Error);
      if (!res.headersSent) send(res, plain(500, 'internal error\n'));
      else res.destroy();
    });
  });
  // Logs keep connections alive between checkpoints (the spec asks for keep-alive).
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
