import { inspect } from 'node:util';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished, type Readable } from 'node:stream';
import { isUint8Array } from 'node:util/types';
import { AttachmentStoreUnavailableError } from '../attachment-store';

/**
 * File plumbing both attachment stores share (clear and encrypted): reading an upload without
 * destroying it, writing and flushing durably, and turning filesystem failures into the port's errors.
 */

// Matches the data dir: other local users have no business reading evidence.
export const DIRECTORY_MODE = 0o700;

/**
 * Hands each chunk of the source to `sink`, one at a time, in order. Unlike pipeline() or
 * for-await, it never destroys the source on failure: it pauses and detaches from it, so that an
 * HTTP caller keeps the request (and its socket) to answer on.
 */
export function consume(source: Readable, sink: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    // At most one chunk is in the sink at a time: the source is paused until it is done.
    let inFlight: Promise<void> = Promise.resolve();

    const detach = (): void => {
      source.off('data', onData);
      stopWatching();
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      detach();
      source.pause();
      // Rejecting only once the sink is idle lets the caller close the file without a write racing it.
      const rejectWithError = (): void => reject(error instanceof Error ? error : new Error(`the upload stream failed: ${inspect(error)}`));
      inFlight.then(rejectWithError, rejectWithError);
    };
    const onData = (chunk: unknown): void => {
      source.pause();
      if (!isUint8Array(chunk)) {
        // Strings are refused: re-encoding decoded text need not give back the bytes that were sent.
        fail(new TypeError('attachment content must be a stream of bytes (Buffer chunks, no encoding set)'));
        return;
      }
      inFlight = sink(chunk).then(() => {
        if (!settled) source.resume();
      });
      inFlight.catch(fail);
    };
    const stopWatching = finished(source, { writable: false }, (error) => {
      if (error) {
        fail(error);
        return;
      }
      // 'end' can come while the last chunk is still being written.
      inFlight.then(() => {
        if (settled) return;
        settled = true;
        detach();
        resolve();
      }, fail);
    });

    source.on('data', onData);
    // A source the caller paused does not start flowing just because a listener was added.
    source.resume();
  });
}

export async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  // write(2) may write fewer bytes than asked.
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Creates the directory and flushes the parents of every directory it had to create, so that
 * a file linked into it survives a crash along with the path leading to it.
 */
export async function mkdirDurable(directory: string): Promise<void> {
  const firstCreated = await mkdir(directory, { recursive: true, mode: DIRECTORY_MODE });
  if (firstCreated === undefined) return;
  const parents: string[] = [];
  // The root guard only matters if mkdir ever reported a path outside `directory`'s ancestry.
  for (let current = directory; current !== firstCreated && dirname(current) !== current; current = dirname(current)) {
    parents.push(dirname(current));
  }
  parents.push(dirname(firstCreated));
  for (const parent of parents) await fsyncDirectory(parent);
}

export async function fsyncDirectory(directory: string): Promise<void> {
  // Windows cannot open a directory for fsync, and its rename/link durability does not need it.
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// Duck-typed, not `instanceof Error`: errors from Node's own modules may come from another realm (as under jest).
export function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

export function asUnavailable(what: string, error: unknown): Error {
  if (error instanceof AttachmentStoreUnavailableError) return error;
  const reason = `cannot ${what}: ${errorCode(error) ?? String(error)}`;
  return new AttachmentStoreUnavailableError(reason, error);
}

/** Filesystem failures become AttachmentStoreUnavailableError; nothing else passes through it. */
export async function fsCall<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw asUnavailable(what, error);
  }
}
