// Reads a PDF as a reader would, for the PDF tests (test/support/pdf.ts runs it as a child process,
// because pdfjs-dist is ESM only): `node pdf-inspect.mjs '<request JSON>'` prints one JSON answer.
//
// Request: { file, render?: { dpi, pages?: number[], prefix, formats: ('png' | 'ppm' | 'pgm')[] } }
// Answer: { pageCount, creationDate, pages: [text], fonts: [{ name, embedded, subset, toUnicode }],
//           attachments: [{ name, base64 }], renders: [{ page, width, height, files }], warnings: [string] }
//
// Text honours /ActualText: the Devanagari runs are drawn as shaped glyphs in visual order, and each
// run's marked-content span carries its logical text. pdfjs reports where spans begin and end but not
// their properties, so this reads the spans' ActualText from the page's content stream itself.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

// pdfjs loads its canvas through process.getBuiltinModule, which Node has from 20.16 on.
process.getBuiltinModule ??= (name) => createRequire(import.meta.url)(name.replace(/^node:/, ''));

const warnings = [];
const log = console.log;
console.log = (...args) => warnings.push(args.join(' '));

const { getDocument, OPS, PDFDateString } = await import('pdfjs-dist/legacy/build/pdf.mjs');
const { createCanvas } = await import('@napi-rs/canvas');

const request = JSON.parse(process.argv[2]);
const bytes = readFileSync(request.file);
const raw = rawObjects(bytes);
const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 1, isEvalSupported: false }).promise;

const pages = [];
const fonts = new Map();
const renders = [];
for (let number = 1; number <= doc.numPages; number++) {
  const page = await doc.getPage(number);
  pages.push(await pageText(page));
  const operators = await page.getOperatorList();
  operators.fnArray.forEach((fn, i) => {
    if (fn !== OPS.setFont) return;
    const font = page.commonObjs.get(operators.argsArray[i][0]);
    fonts.set(font.name, {
      name: font.name.replace(/^[A-Z]{6}\+/, ''),
      embedded: font.missingFile === false,
      subset: /^[A-Z]{6}\+/.test(font.name),
      toUnicode: raw.fontHasToUnicode(font.name),
    });
  });
  if (request.render && (request.render.pages ?? [number]).includes(number)) renders.push(await render(page, number, request.render));
}
const attachments = Object.values((await doc.getAttachments()) ?? {}).map((a) => ({
  name: a.filename,
  base64: Buffer.from(a.content).toString('base64'),
}));
const { info } = await doc.getMetadata();
const created = info.CreationDate ? PDFDateString.toDateObject(info.CreationDate) : null;
await doc.destroy();

console.log = log;
process.stdout.write(
  JSON.stringify({
    pageCount: doc.numPages,
    creationDate: created ? created.toISOString() : null,
    pages,
    fonts: [...fonts.values()],
    attachments,
    renders,
    warnings,
  }),
);

/**
 * The page's text in content order, one line per line; a span with ActualText gives that instead of
 * its glyphs. As with pdftotext -raw, a span starts and ends a line (pdfjs drops the space glyph
 * before it, so without the break "Place: " and its Devanagari value would run together).
 */
async function pageText(page) {
  const spans = raw.markedContent(page.ref);
  const content = await page.getTextContent({ includeMarkedContent: true });
  let text = '';
  const breakLine = () => {
    if (text !== '' && !/\s$/.test(text)) text += '\n';
  };
  const open = []; // per open span: its ActualText while it replaces its glyphs, else null
  for (const item of content.items) {
    const replacing = open.some((span) => span !== null);
    if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') {
      if (spans.length === 0) throw new Error(`page ${page.pageNumber}: pdfjs saw more marked content than the content stream has`);
      const actual = spans.shift();
      if (actual !== null && !replacing) {
        breakLine();
        text += actual;
      }
      open.push(replacing ? null : actual);
    } else if (item.type === 'endMarkedContent') {
      if (open.pop() !== null) breakLine();
    } else if (!replacing) {
      text += item.str + (item.hasEOL ? '\n' : '');
    }
  }
  if (spans.length > 0) throw new Error(`page ${page.pageNumber}: ${spans.length} marked-content spans pdfjs did not report`);
  return text;
}

async function render(page, number, { dpi, prefix, formats }) {
  const viewport = page.getViewport({ scale: dpi / 72 });
  const width = Math.round(viewport.width);
  const height = Math.round(viewport.height);
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  await page.render({ canvasContext: context, viewport }).promise;
  const rgba = context.getImageData(0, 0, width, height).data;
  const files = {};
  for (const format of formats) {
    const file = `${prefix}-${String(number).padStart(2, '0')}.${format}`;
    if (format === 'png') writeFileSync(file, await canvas.encode('png'));
    else writeFileSync(file, pnm(format, width, height, rgba));
    files[format] = file;
  }
  return { page: number, width, height, files };
}

/** Binary PPM (P6, RGB) or PGM (P5, grey), 8-bit, as pdftoppm writes them. */
function pnm(format, width, height, rgba) {
  const grey = format === 'pgm';
  const channels = grey ? 1 : 3;
  const pixels = Buffer.alloc(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const [r, g, b] = [rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2]];
    if (grey) pixels[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    else pixels.set([r, g, b], 3 * p);
  }
  return Buffer.concat([Buffer.from(`P${grey ? 5 : 6}\n${width} ${height}\n255\n`, 'latin1'), pixels]);
}

/**
 * Just enough of the file's own objects for what pdfjs does not report: the properties of marked
 * content in a page's content stream, and whether a font carries a /ToUnicode map. Reads files with
 * a classic xref (what pdfkit writes); an object stream or an unknown filter is refused, never guessed.
 */
function rawObjects(buffer) {
  const text = buffer.toString('latin1');
  const objects = new Map();
  let streamEnd = 0; // "N 0 obj" inside a stream's bytes is data, not an object
  for (const match of text.matchAll(/(\d+)\s+(\d+)\s+obj\b/g)) {
    if (match.index < streamEnd) continue;
    const [value, end] = parseValue(text, match.index + match[0].length);
    const after = /^\s*stream\r?\n/.exec(text.slice(end, end + 16));
    const streamStart = after ? end + after[0].length : undefined;
    if (streamStart !== undefined && typeof value.Length === 'number') streamEnd = streamStart + value.Length;
    objects.set(Number(match[1]), { value, streamStart });
  }
  const resolveRef = (value) => (value && value.ref !== undefined ? objects.get(value.ref)?.value : value);
  const streamOf = (ref) => {
    const object = objects.get(ref);
    if (!object?.streamStart) throw new Error(`object ${ref} is not a stream`);
    const length = resolveRef(object.value.Length);
    const data = buffer.subarray(object.streamStart, object.streamStart + length);
    const filter = resolveRef(object.value.Filter);
    if (filter === undefined) return data;
    if (filter.name === 'FlateDecode') return inflateSync(data);
    throw new Error(`object ${ref}: filter ${JSON.stringify(filter)} is not read here`);
  };
  if ([...objects.values()].some((o) => o.value?.Type?.name === 'ObjStm')) throw new Error('object streams are not read here');
  return {
    /** The ActualText (or null) of every BMC/BDC on the page, in content order. */
    markedContent(pageRef) {
      const page = objects.get(pageRef.num).value;
      const contents = resolveRef(page.Contents);
      const refs = Array.isArray(contents) ? contents : [page.Contents];
      const spans = [];
      for (const ref of refs) {
        const stream = streamOf(ref.ref).toString('latin1');
        let operands = [];
        for (let pos = 0; ;) {
          pos = skipSpace(stream, pos);
          if (pos >= stream.length) break;
          const operator = /^[A-Za-z'"*]+/.exec(stream.slice(pos, pos + 8));
          if (operator && !/^(true|false|null)$/.test(operator[0])) {
            if (operator[0] === 'BMC') spans.push(null);
            if (operator[0] === 'BDC') spans.push(decodeText(resolveRef(operands[1])?.ActualText));
            operands = [];
            pos += operator[0].length;
            if (operator[0] === 'BI') pos = stream.indexOf('EI', pos) + 2; // inline image: skip its data
          } else {
            const [value, end] = parseValue(stream, pos);
            operands.push(value);
            pos = end;
          }
        }
      }
      return spans;
    },
    fontHasToUnicode(baseFont) {
      return [...objects.values()].some(
        (o) => o.value?.Type?.name === 'Font' && o.value.BaseFont?.name === baseFont && 'ToUnicode' in o.value,
      );
    },
  };
}

function skipSpace(text, pos) {
  for (;;) {
    while (pos < text.length && /[\0\t\n\f\r ]/.test(text[pos])) pos++;
    if (text[pos] !== '%') return pos;
    while (pos < text.length && text[pos] !== '\n' && text[pos] !== '\r') pos++;
  }
}

/** One PDF value at `pos`: number, name ({ name }), string (latin1 bytes), array, dictionary, reference ({ ref }), boolean or null. */
function parseValue(text, pos) {
  pos = skipSpace(text, pos);
  if (text.startsWith('<<', pos)) {
    const dict = {};
    pos += 2;
    for (;;) {
      pos = skipSpace(text, pos);
      if (text.startsWith('>>', pos)) return [dict, pos + 2];
      const [key, afterKey] = parseValue(text, pos);
      const [value, afterValue] = parseValue(text, afterKey);
      dict[key.name] = value;
      pos = afterValue;
    }
  }
  if (text[pos] === '[') {
    const array = [];
    pos++;
    for (;;) {
      pos = skipSpace(text, pos);
      if (text[pos] === ']') return [array, pos + 1];
      const [value, end] = parseValue(text, pos);
      array.push(value);
      pos = end;
    }
  }
  if (text[pos] === '<') {
    const end = text.indexOf('>', pos);
    const hex = text.slice(pos + 1, end).replace(/\s/g, '');
    return [Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex').toString('latin1'), end + 1];
  }
  if (text[pos] === '(') return parseLiteralString(text, pos);
  if (text[pos] === '/') {
    const name = /^\/([^\s/<>[\]()%{}]*)/.exec(text.slice(pos, pos + 256))[1];
    return [{ name: name.replace(/#([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))) }, pos + 1 + name.length];
  }
  const ref = /^(\d+)\s+(\d+)\s+R\b/.exec(text.slice(pos, pos + 32));
  if (ref) return [{ ref: Number(ref[1]) }, pos + ref[0].length];
  const number = /^[+-]?(\d+\.?\d*|\.\d+)/.exec(text.slice(pos, pos + 32));
  if (number) return [Number(number[0]), pos + number[0].length];
  const word = /^(true|false|null)\b/.exec(text.slice(pos, pos + 5));
  if (word) return [word[0] === 'null' ? null : word[0] === 'true', pos + word[0].length];
  throw new Error(`unexpected ${JSON.stringify(text.slice(pos, pos + 20))} at ${pos}`);
}

function parseLiteralString(text, pos) {
  const escapes = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
  let out = '';
  let depth = 1;
  for (pos++; pos < text.length; pos++) {
    const c = text[pos];
    if (c === '\\') {
      const next = text[++pos];
      const octal = /^[0-7]{1,3}/.exec(text.slice(pos, pos + 3));
      if (octal) {
        out += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
        pos += octal[0].length - 1;
      } else if (next === '\r') {
        if (text[pos + 1] === '\n') pos++;
      } else if (next !== '\n') out += escapes[next] ?? next;
    } else if (c === '(') {
      depth++;
      out += c;
    } else if (c === ')') {
      if (--depth === 0) return [out, pos + 1];
      out += c;
    } else out += c;
  }
  throw new Error('unterminated string');
}

/** A PDF text string: UTF-16BE behind its byte-order mark, else (near enough) PDFDocEncoding. */
function decodeText(bytes) {
  if (typeof bytes !== 'string') return null;
  if (bytes.startsWith('\xfe\xff')) return Buffer.from(bytes.slice(2), 'latin1').swap16().toString('utf16le');
  return bytes;
}
