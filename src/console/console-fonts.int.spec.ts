import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildConsoleFonts, DEVANAGARI_RANGES, fontSourceDir, fontUrl, FONT_URL, unicodeRange } from './console-fonts';

/** The tags of the tables a WOFF2 file holds, read from its table directory (WOFF2 §5.2, known-tag indices §5.1). */
function woff2Tables(font: Buffer): string[] {
  // prettier-ignore
  const KNOWN = ['cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'glyf', 'loca', 'prep', 'CFF ', 'VORG', 'EBDT', 'EBLC', 'gasp', 'hdmx', 'kern', 'LTSH', 'PCLT', 'VDMX', 'vhea', 'vmtx', 'BASE', 'GDEF', 'GPOS', 'GSUB'];
  expect(font.subarray(0, 4).toString('latin1')).toBe('wOF2');
  const count = font.readUInt16BE(12);
  let offset = 48;
  const base128 = (): number => {
    let value = 0;
    for (;;) {
      const byte = font[offset++];
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
  };
  const tags: string[] = [];
  for (let i = 0; i < count; i++) {
    const flags = font[offset++];
    const index = flags & 0x3f;
    const tag = index === 63 ? font.subarray(offset, (offset += 4)).toString('latin1') : (KNOWN[index] ?? `#${index}`);
    base128();
    const version = flags >> 6;
    const transformed = tag === 'glyf' || tag === 'loca' ? version === 0 : version !== 0;
    if (transformed) base128();
    tags.push(tag.trim());
  }
  return tags;
}

describe('the console’s Devanagari font subsets', () => {
  const fontDir = fontSourceDir(join(__dirname, '..'));
  const styles = readFileSync(join(__dirname, 'web', 'styles.css'), 'utf8');

  it('are WOFF2 files that keep the layout tables conjuncts are shaped by, small enough for a phone', async () => {
    const files = await buildConsoleFonts(fontDir);
    expect(files.map((f) => [f.path, f.contentType])).toEqual([
      [fontUrl(400), 'font/woff2'],
      [fontUrl(700), 'font/woff2'],
      [`${FONT_URL}OFL.txt`, 'text/plain; charset=utf-8'],
    ]);
    for (const font of files.filter((f) => f.path.endsWith('.woff2'))) {
      expect({ font: font.path, tables: woff2Tables(font.body) }).toEqual({
        font: font.path,
        tables: expect.arrayContaining(['cmap', 'glyf', 'GDEF', 'GSUB', 'GPOS']),
      });
      // The whole TTF is ~230 KB; the Devanagari cut, compressed, a third of it or less.
      expect(font.body.length).toBeLessThan(80 * 1024);
    }
    expect(files[2].body.toString('utf8')).toMatch(/^The web console serves subsets[\s\S]*SIL Open Font License, Version 1\.1/);
  });

  it('are named by the stylesheet with the very unicode-range they were cut to, for both weights', () => {
    const faces = [...styles.matchAll(/@font-face\s*{([^}]*)}/g)].map(([, body]) => ({
      family: /font-family:\s*'([^']+)'/.exec(body)?.[1],
      url: /url\('([^']+)'\)/.exec(body)?.[1],
      weight: /font-weight:\s*(\d+)/.exec(body)?.[1],
      range: /unicode-range:\s*([^;]+);/.exec(body)?.[1],
    }));
    expect(faces).toEqual(
      [400, 700].map((weight) => ({ family: 'Noto Sans Devanagari', url: fontUrl(weight), weight: String(weight), range: unicodeRange() })),
    );
    expect(unicodeRange()).toBe('U+0900-097F, U+1CD0-1CFF, U+200C-200D, U+25CC, U+A8E0-A8FF');
    // The danda, double danda, ZWJ and ZWNJ are in.
    for (const c of [0x0964, 0x0965, 0x200c, 0x200d]) expect(DEVANAGARI_RANGES.some(([first, last]) => c >= first && c <= last)).toBe(true);
  });
});
