import type { Readable } from 'node:stream';
import * as vm from 'node:vm';

/** How many leading bytes are read to tell a file's type: file-type's own `reasonableDetectionSizeInBytes`. */
export const SNIFF_BYTES = 4100;

/**
 * What file-type may report for each type an attachment may be declared as. Several entries
 * where one format has several names (an animated PNG, an Opus or unnamed Ogg stream, an
 * M4V-branded MP4); never a type a browser could render as a page.
 */
const DETECTED_AS: Readonly<Record<string, readonly string[]>> = {
  'image/jpeg': ['image/jpeg'],
  'image/png': ['image/png', 'image/apng'],
  'image/webp': ['image/webp'],
  'application/pdf': ['application/pdf'],
  'video/mp4': ['video/mp4', 'video/x-m4v'],
  'video/webm': ['video/webm'],
  'audio/mpeg': ['audio/mpeg'],
  'audio/ogg': ['audio/ogg', 'application/ogg'],
};

/** The bytes of an upload are not a file of the type it was declared as. */
export class AttachmentContentMismatchError extends Error {
  readonly code = 'attachment_content_mismatch';
  constructor(
    readonly declared: string,
    readonly detected: string | undefined,
  ) {
    super(`attachment declared as ${declared} is ${detected ?? 'of no recognised type'}`);
    this.name = 'AttachmentContentMismatchError';
  }
}

interface FileTypeModule {
  fileTypeFromBuffer(buffer: Uint8Array): Promise<{ ext: string; mime: string } | undefined>;
}

/**
 * file-type is ESM-only and this project compiles to CommonJS, where TypeScript rewrites a
 * literal `import()` into `require()`; a Function body is not compiled, so it stays a real dynamic
 * import. Inside a vm context without a module loader (jest's, unless it runs with
 * --experimental-vm-modules) that import is refused; there the main context's loader is used.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fixed body, no input: the one way to keep import() uncompiled
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

let fileType: Promise<FileTypeModule> | undefined;

function loadFileType(): Promise<FileTypeModule> {
  fileType ??= (importEsm('file-type') as Promise<FileTypeModule>).catch((error: unknown) => {
    if (!/^ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING/.test(String((error as { code?: unknown }).code))) throw error;
    const viaMainContext = vm.runInThisContext('(specifier) => import(specifier)', {
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }) as (specifier: string) => Promise<FileTypeModule>;
    return viaMainContext('file-type');
  });
  return fileType;
}

/** The type file-type tells from the magic number, without parameters (`audio/ogg; codecs=opus` is `audio/ogg`). */
export async function sniffMediaType(head: Uint8Array): Promise<string | undefined> {
  const detected = await (await loadFileType()).fileTypeFromBuffer(head);
  return detected?.mime.split(';')[0].trim();
}

/**
 * Reads the first bytes of an upload and checks them against its declared type; throws
 * AttachmentContentMismatchError when they are something else. Returns the whole content: a
 * Buffer when it was shorter than the sample, else the same stream with the sample put back.
 */
export async function requireDeclaredType(content: Readable, declared: string): Promise<Readable | Buffer> {
  const { head, complete } = await readHead(content, SNIFF_BYTES);
  const detected = await sniffMediaType(head);
  if (detected === undefined || !(DETECTED_AS[declared] ?? []).includes(detected)) {
    throw new AttachmentContentMismatchError(declared, detected);
  }
  return complete ? head : content;
}

/**
 * At least `size` bytes from the stream, or all of it if shorter (`complete`). Read in paused
 * mode, with read(), and a head that is not all of it put back with unshift() before returning:
 * that is the pairing Node documents for parsers. (Put back from a 'data' handler instead, Node 26
 * can hand out the next chunk before the head.) The stream is left paused for whoever pipes it.
 */
function readHead(stream: Readable, size: number): Promise<{ head: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = (result: { head: Buffer; complete: boolean } | Error): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onReadable = (): void => {
      let chunk: unknown;
      while (length < size && (chunk = stream.read()) !== null) {
        // As in the store: decoded text need not re-encode to the bytes that were sent.
        if (!Buffer.isBuffer(chunk)) return done(new TypeError('attachment content must be a stream of bytes (no encoding set)'));
        chunks.push(chunk);
        length += chunk.length;
      }
      if (length < size) return;
      const head = Buffer.concat(chunks);
      stream.unshift(head);
      done({ head, complete: false });
    };
    const onEnd = (): void => done({ head: Buffer.concat(chunks), complete: true });
    const onError = (error: Error): void => done(error);
    // A client that goes away mid-upload may close the stream without an error or an end.
    const onClose = (): void => done(new Error('the upload stream closed before its end'));
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
