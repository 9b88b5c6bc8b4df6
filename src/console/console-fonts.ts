import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Devanagari font the console ships (Noto Sans Devanagari, SIL OFL, in assets/fonts), cut to
 * the Devanagari code points and served as WOFF2, so Hindi renders on any device, the names users
 * type included, not only the labels. The cut keeps the OpenType layout tables (GSUB, GPOS): the
 * conjuncts, matras and nuktas are shaped by them. Made by `npm run build` into dist; a server
 * running from the sources makes them on first use.
 */

/** Where the console serves its fonts (the stylesheet's @font-face names these). */
export const FONT_URL = '/console/fonts/';

/** The code points kept, as CSS unicode-range parts: the page uses the font for these and only these. */
export const DEVANAGARI_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0900, 0x097f], // Devanagari, the danda and double danda (U+0964, U+0965) among them
  [0x1cd0, 0x1cff], // Vedic Extensions
  [0x200c, 0x200d], // ZWNJ and ZWJ, which choose between conjunct, half form and virama
  [0x25cc, 0x25cc], // the dotted circle a shaper shows under a stray matra
  [0xa8e0, 0xa8ff], // Devanagari Extended
];

/** The weights shipped, each from its TTF in assets/fonts. */
const WEIGHTS = [
  { weight: 400, source: 'NotoSansDevanagari-Regular.ttf' },
  { weight: 700, source: 'NotoSansDevanagari-Bold.ttf' },
] as const;

export const fontUrl = (weight: number): string => `${FONT_URL}noto-sans-devanagari-${weight}.woff2`;

/** The text holding every code point of the ranges: what the subsetter keeps. */
export function devanagariText(): string {
  let text = '';
  for (const [first, last] of DEVANAGARI_RANGES) for (let c = first; c <= last; c++) text += String.fromCodePoint(c);
  return text;
}

/** The CSS unicode-range value of the ranges, e.g. "U+0900-097F, …". */
export function unicodeRange(): string {
  const hex = (c: number): string => c.toString(16).toUpperCase().padStart(4, '0');
  return DEVANAGARI_RANGES.map(([first, last]) => (first === last ? `U+${hex(first)}` : `U+${hex(first)}-${hex(last)}`)).join(', ');
}

/** A file the console serves (console-assets.ts's ConsoleFile). */
export interface FontFile {
  path: string;
  contentType: string;
  body: Buffer;
}

/** subset-font's one function: HarfBuzz's subsetter (WebAssembly) and a WOFF2 encoder, no native build. */
type SubsetFont = (font: Buffer, text: string, options: { targetFormat: 'woff2' }) => Promise<Buffer>;

/** The fonts folder of a checkout, beside src/. */
export const fontSourceDir = (sourceRoot: string): string => join(sourceRoot, '..', 'assets', 'fonts');

/** The WOFF2 subsets and the licence they ship under, as console files. Needs the development dependency subset-font. */
export function buildConsoleFonts(fontDir: string): Promise<FontFile[]> {
  // Made once per process: every server a test suite starts from the sources serves the same bytes.
  let made = madeFonts.get(fontDir);
  if (made === undefined) {
    made = subsetFonts(fontDir);
    madeFonts.set(fontDir, made);
    made.catch(() => madeFonts.delete(fontDir));
  }
  return made;
}
const madeFonts = new Map<string, Promise<FontFile[]>>();

async function subsetFonts(fontDir: string): Promise<FontFile[]> {
  // A development dependency, like TypeScript: used when building or serving from the sources, never in a built install.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when the fonts are made
  const subsetFont = require('subset-font') as SubsetFont;
  const text = devanagariText();
  const files: FontFile[] = [];
  for (const { weight, source } of WEIGHTS) {
    const ttf = join(fontDir, source);
    if (!existsSync(ttf)) throw new Error(`the console's Devanagari font ${ttf} is missing`);
    const body = await subsetFont(readFileSync(ttf), text, { targetFormat: 'woff2' });
    files.push({ path: fontUrl(weight), contentType: 'font/woff2', body: Buffer.from(body) });
  }
  // The OFL asks that the licence travel with the font, modified versions (these subsets) included.
  const note = 'The web console serves subsets of Noto Sans Devanagari (the Devanagari code points only) made from the fonts below.\n\n';
  files.push({
    path: `${FONT_URL}OFL.txt`,
    contentType: 'text/plain; charset=utf-8',
    body: Buffer.concat([Buffer.from(note, 'utf8'), readFileSync(join(fontDir, 'OFL.txt'))]),
  });
  return files;
}
