import type { Response } from 'superagent';

type Callback = (error: Error | null, body: Buffer) => void;

/** A superagent parser that keeps the response as raw bytes (PDFs, attachments) instead of text. */
export function rawBytes(res: Response, done: Callback): void {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
