import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Debian's poppler-utils (pdftoppm, pdffonts, pdftotext, pdfinfo, pdfdetach), with which the PDF
 * tests look at a PDF as a reader would. Missing tools FAIL the test rather than skip it, so a
 * machine that cannot check the PDF never passes for one that did.
 */
export type PopplerTool = 'pdftoppm' | 'pdffonts' | 'pdftotext' | 'pdfinfo' | 'pdfdetach';

export function poppler(tool: PopplerTool, args: string[]): string {
  // pdfinfo prints dates in the process's zone: pinned to UTC, so the tests pass under any TZ.
  const run = spawnSync(tool, args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${tool} not found: this test needs Debian's poppler-utils (apt-get install -y poppler-utils)`);
  }
  if (run.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  if (/Couldn't find a font|substitut/i.test(run.stderr)) throw new Error(`${tool} substituted a font: ${run.stderr}`);
  return run.stdout;
}

/** The text of one page (1-based) or of the whole file, whitespace runs collapsed to one space. */
export function pdfText(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return poppler('pdftotext', ['-raw', '-enc', 'UTF-8', ...range, file, '-'])
    .normalize('NFC')
    .replace(/\s+/g, ' ');
}

export function pdfPageCount(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(poppler('pdfinfo', [file]))?.[1]);
}

export interface Raster {
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB) bytes per pixel. */
  channels: 1 | 3;
  pixels: Buffer;
}

/** Binary PGM (P5) or PPM (P6), 8-bit, as written by `pdftoppm` (with -gray, or without). */
export function readPnm(file: string): Raster {
  const buf = readFileSync(file);
  const header = /^P([56])\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error(`${file} is not a binary PGM or PPM`);
  const [, kind, w, h, max] = header;
  if (max !== '255') throw new Error(`unexpected depth ${max}`);
  const channels = kind === '5' ? 1 : 3;
  const width = Number(w);
  const height = Number(h);
  return { width, height, channels, pixels: buf.subarray(header[0].length, header[0].length + width * height * channels) };
}
