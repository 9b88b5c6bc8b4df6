import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The PDF tests look at a PDF as a reader would, with pdfjs-dist and @napi-rs/canvas (npm packages,
 * nothing from the system): pdf-inspect.mjs runs in a child process, because pdfjs is ESM only.
 * A font pdfjs could not load FAILS the test, so a PDF that only looks right with substitutes never passes.
 */
export interface PdfFont {
  /** Without the subset tag, e.g. NotoSansDevanagari-Regular. */
  name: string;
  embedded: boolean;
  subset: boolean;
  /** The font carries a /ToUnicode map, so its glyphs copy and search as text. */
  toUnicode: boolean;
}

export interface PdfRender {
  page: number;
  width: number;
  height: number;
  files: Partial<Record<RenderFormat, string>>;
}

/** PNG for people to look at; PPM (RGB) and PGM (grey) for tests to read with readPnm. */
export type RenderFormat = 'png' | 'ppm' | 'pgm';

export interface PdfInspection {
  pageCount: number;
  /** ISO 8601 UTC, from the document information's CreationDate. */
  creationDate: string | null;
  /** Each page's text in content order, /ActualText honoured, lines ending in \n. */
  pages: string[];
  /** Every font the pages draw with. */
  fonts: PdfFont[];
  /** Embedded files, in the document's order (what `pdfdetach -list` numbers). */
  attachments: { name: string; content: Buffer }[];
  renders: PdfRender[];
}

const SCRIPT = join(__dirname, 'pdf-inspect.mjs');
const inspected = new Map<string, PdfInspection>();

/** Reads `file`, rendering pages to `${prefix}-NN.<format>` when asked (all pages unless `pages` says which). */
export function inspectPdf(
  file: string,
  render?: { dpi: number; prefix: string; formats: RenderFormat[]; pages?: number[] },
): PdfInspection {
  const { size, mtimeMs } = statSync(file);
  const key = `${file}\0${size}\0${mtimeMs}`;
  const cached = render ? undefined : inspected.get(key);
  if (cached) return cached;
  const run = spawnSync(process.execPath, [SCRIPT, JSON.stringify({ file, render })], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`pdf-inspect ${file} failed (${run.status ?? run.signal}): ${run.stderr}`);
  const answer = JSON.parse(run.stdout) as Omit<PdfInspection, 'attachments'> & {
    attachments: { name: string; base64: string }[];
    warnings: string[];
  };
  const fontTrouble = answer.warnings.filter((w) => /font|glyph|substitut/i.test(w));
  if (fontTrouble.length > 0) throw new Error(`pdfjs could not use the PDF's fonts as they are: ${fontTrouble.join('; ')}`);
  const result: PdfInspection = {
    ...answer,
    attachments: answer.attachments.map((a) => ({ name: a.name, content: Buffer.from(a.base64, 'base64') })),
  };
  if (!render) inspected.set(key, result);
  return result;
}

/** The text of one page (1-based) or of the whole file, NFC, whitespace runs collapsed to one space. */
export function pdfText(file: string, page?: number): string {
  const { pages } = inspectPdf(file);
  const text = page === undefined ? pages.join('\n') : pages[page - 1];
  if (text === undefined) throw new Error(`${file} has no page ${page}`);
  return text.normalize('NFC').replace(/\s+/g, ' ');
}

export function pdfPageCount(file: string): number {
  return inspectPdf(file).pageCount;
}

export interface Raster {
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB) bytes per pixel. */
  channels: 1 | 3;
  pixels: Buffer;
}

/** Binary PGM (P5) or PPM (P6), 8-bit, as inspectPdf renders them. */
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
