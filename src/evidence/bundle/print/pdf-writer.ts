/**
 * Drawing on a pdfkit document in mixed scripts: paragraphs, headings, label–value lines, tables
 * that flow across pages with their header repeated, and the "Page x of y" footers.
 *
 * Names and places are often in Devanagari. Text is split into runs by script: Devanagari runs are
 * set in Noto Sans Devanagari, the rest in Noto Sans. pdfkit shapes each run with fontkit, which
 * applies the Indic shaping (conjuncts such as क्ष and त्र, reph, pre-base matra reordering).
 */
import { columnWidths, pageLabel, planTable } from './table-layout';

type Doc = PDFKit.PDFDocument;
type Face = 'latin' | 'latinBold' | 'devanagari' | 'devanagariBold';

export const MARGIN = 50;
/** Noto Sans' ascender, in em; the baseline of every line of text. */
const LATIN_ASCENT = 1.069;
/** Room below the line for Devanagari descenders (0.408 em against Latin's 0.293 em). */
const LINE_GAP = 1.5;
const CELL_PAD = 3;
const HIGHLIGHT_FILL = '#fde2e2';
const HIGHLIGHT_INK = '#a30000';

/** Devanagari, Devanagari Extended and Vedic Extensions. */
function isDevanagari(cp: number): boolean {
  return (cp >= 0x0900 && cp <= 0x097f) || (cp >= 0xa8e0 && cp <= 0xa8ff) || (cp >= 0x1cd0 && cp <= 0x1cff);
}
/**
 * Characters that stay in the run they follow (both fonts have them), so that a name such as
 * "श्री आर. के. मिश्रा" is one run: one shaping pass and one ActualText span.
 */
function isNeutral(cp: number): boolean {
  return cp === 0x20 || cp === 0x2c || cp === 0x2d || cp === 0x2e || cp === 0x200c || cp === 0x200d || cp === 0x25cc;
}

/** Splits text into runs of one script. */
export function scriptRuns(text: string): Array<{ devanagari: boolean; text: string }> {
  const runs: Array<{ devanagari: boolean; text: string }> = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const last = runs[runs.length - 1];
    const deva = isNeutral(cp) && last ? last.devanagari : isDevanagari(cp);
    if (last && last.devanagari === deva) last.text += ch;
    else runs.push({ devanagari: deva, text: ch });
  }
  return runs;
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
  align?: 'left' | 'right' | 'center';
}

export interface TableColumn {
  header: string;
  weight: number;
}

export interface TableRow {
  cells: string[];
  /** Printed bold and red on a red ground: a discrepancy or a refusal. */
  highlight?: boolean;
}

export class Writer {
  readonly width: number;

  constructor(readonly doc: Doc) {
    this.width = doc.page.width - 2 * MARGIN;
  }

  /** The last y content may reach on a page. */
  get bottom(): number {
    return this.doc.page.height - MARGIN;
  }

  /** Draws mixed-script text in a box starting at (x, y), or at the cursor when y is undefined. */
  runs(value: string, x: number, y: number | undefined, width: number, style: TextStyle = {}): void {
    const size = style.size ?? 9;
    this.doc.fontSize(size).fillColor(style.color ?? 'black');
    // Every run sits on the Latin font's baseline (the fonts' ascenders differ: 1.069 em against 0.896 em).
    const baseline = -LATIN_ASCENT * size;
    const runs = scriptRuns(value.length === 0 ? ' ' : value);
    runs.forEach((run, i) => {
      this.doc.font(faceOf(run.devanagari, style.bold === true));
      const continued = i < runs.length - 1;
      // Shaped Devanagari is in visual order (ि before its consonant); ActualText gives copy-paste and
      // text extraction the logical order.
      if (run.devanagari) this.doc.markContent('Span', { actual: run.text });
      const options = { width, continued, baseline, lineGap: LINE_GAP, align: style.align ?? 'left' };
      if (i === 0) this.doc.text(run.text, x, y, options);
      else this.doc.text(run.text, options);
      if (run.devanagari) this.doc.endMarkedContent();
    });
  }

  /** The height `value` takes in a box of `width`: the larger of the two fonts' measures, so that it is never short. */
  heightOf(value: string, width: number, style: TextStyle = {}): number {
    const faces = [faceOf(false, style.bold === true)];
    if (scriptRuns(value).some((r) => r.devanagari)) faces.push(faceOf(true, style.bold === true));
    this.doc.fontSize(style.size ?? 9);
    return Math.max(
      ...faces.map((face) => this.doc.font(face).heightOfString(value.length === 0 ? ' ' : value, { width, lineGap: LINE_GAP })),
    );
  }

  /** One paragraph at the left margin. */
  text(value: string, style: TextStyle & { gap?: number; indent?: number } = {}): this {
    const indent = style.indent ?? 0;
    this.ensure(this.heightOf(value, this.width - indent, style));
    this.runs(value, MARGIN + indent, undefined, this.width - indent, style);
    if (style.gap) this.doc.moveDown(style.gap);
    return this;
  }

  heading(value: string, size = 12): this {
    this.ensure(60);
    this.doc.moveDown(0.6);
    this.text(value, { size, bold: true });
    const y = this.doc.y + 1;
    this.doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + this.width, y)
      .lineWidth(0.5)
      .strokeColor('#888888')
      .stroke();
    this.doc.moveDown(0.4);
    return this;
  }

  field(label: string, value: string): this {
    return this.text(`${label}: ${value}`);
  }

  /** A new page if fewer than `points` are left. */
  ensure(points: number): void {
    if (this.doc.y + points > this.bottom) this.doc.addPage();
  }

  /** A table that flows across pages: no row is cut or dropped, and each page it reaches repeats the header. */
  table(columns: readonly TableColumn[], rows: readonly TableRow[], size = 8): this {
    const widths = columnWidths(
      this.width,
      columns.map((c) => c.weight),
    );
    const measure = (cells: readonly string[], bold: boolean) =>
      Math.max(...cells.map((cell, i) => this.heightOf(cell, widths[i] - 2 * CELL_PAD, { size, bold }))) + 2 * CELL_PAD;
    const headerCells = columns.map((c) => c.header);
    const headerHeight = measure(headerCells, true);
    const heights = rows.map((r) => measure(r.cells, r.highlight === true));
    const plan = planTable(headerHeight, heights, { startY: this.doc.y, top: MARGIN, bottom: this.bottom });
    let page = 0;
    let header = 0;
    const toPage = (target: number) => {
      for (; page < target; page++) this.doc.addPage();
    };
    rows.forEach((row, i) => {
      const place = plan.rows[i];
      toPage(place.page);
      while (header < plan.headers.length && plan.headers[header].page <= page) {
        this.row(headerCells, widths, plan.headers[header].y, headerHeight, { size, bold: true, fill: '#e8e8e8' });
        header++;
      }
      const highlight = row.highlight === true;
      this.row(row.cells, widths, place.y, heights[i], {
        size,
        bold: highlight,
        color: highlight ? HIGHLIGHT_INK : undefined,
        fill: highlight ? HIGHLIGHT_FILL : undefined,
      });
    });
    if (rows.length === 0) this.row(headerCells, widths, plan.headers[0].y, headerHeight, { size, bold: true, fill: '#e8e8e8' });
    this.doc.x = MARGIN;
    this.doc.y = plan.endY + 6;
    return this;
  }

  private row(cells: readonly string[], widths: number[], y: number, height: number, style: TextStyle & { fill?: string }): void {
    // Measured with room to spare; no margin may push a cell's last line onto a page of its own.
    const margins = this.doc.page.margins;
    const bottomMargin = margins.bottom;
    margins.bottom = 0;
    if (style.fill) this.doc.rect(MARGIN, y, this.width, height).fill(style.fill);
    let x = MARGIN;
    cells.forEach((cell, i) => {
      this.runs(cell, x + CELL_PAD, y + CELL_PAD, widths[i] - 2 * CELL_PAD, style);
      x += widths[i];
    });
    this.doc
      .moveTo(MARGIN, y + height)
      .lineTo(MARGIN + this.width, y + height)
      .lineWidth(0.4)
      .strokeColor('#bbbbbb')
      .stroke();
    margins.bottom = bottomMargin;
  }

  /** Stamps "Page x of y" (and `left`, e.g. the memo number) at the foot of every page; needs bufferPages. */
  footers(left: string): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const margins = this.doc.page.margins;
      const bottomMargin = margins.bottom;
      margins.bottom = 0;
      const y = this.doc.page.height - MARGIN + 18;
      this.runs(left, MARGIN, y, this.width / 2, { size: 8, color: '#444444' });
      this.runs(pageLabel(i - range.start + 1, range.count), MARGIN + this.width / 2, y, this.width / 2, {
        size: 8,
        color: '#444444',
        align: 'right',
      });
      margins.bottom = bottomMargin;
    }
  }
}

function faceOf(devanagari: boolean, bold: boolean): Face {
  if (devanagari) return bold ? 'devanagariBold' : 'devanagari';
  return bold ? 'latinBold' : 'latin';
}
