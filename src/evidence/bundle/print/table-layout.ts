/**
 * Where a table's rows go on the pages: pure arithmetic, so that the rules (a table flows across
 * pages, no row is dropped or cut, the header is repeated on every page it reaches) are tested
 * without drawing anything.
 */

/** Column widths in points from relative weights; they fill `total` exactly. */
export function columnWidths(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || sum <= 0) throw new RangeError('a table needs columns of positive weight');
  const widths = weights.map((w) => Math.floor((total * w) / sum));
  widths[widths.length - 1] += total - widths.reduce((a, b) => a + b, 0);
  return widths;
}

export interface TablePlan {
  /** Where each header goes: `page` counts from the page the table starts on (0). */
  headers: Array<{ page: number; y: number }>;
  /** Where each row goes, in order; one entry per row. */
  rows: Array<{ page: number; y: number }>;
  /** The y below the table on its last page. */
  endY: number;
}

export interface PageFrame {
  /** Where the table would start on the current page. */
  startY: number;
  /** The first y of a fresh page. */
  top: number;
  /** The last y any row may reach. */
  bottom: number;
}

/**
 * Places the header and rows of the given heights top to bottom. A row that does not fit below
 * the last one starts a new page under a repeated header; a table whose header and first row do
 * not fit where it would start begins on the next page. A row taller than a whole page still
 * gets its own page: it is never dropped.
 */
export function planTable(headerHeight: number, rowHeights: readonly number[], frame: PageFrame): TablePlan {
  const headers: TablePlan['headers'] = [];
  const rows: TablePlan['rows'] = [];
  let page = 0;
  let y = frame.startY;
  const firstRow = rowHeights[0] ?? 0;
  if (y + headerHeight + firstRow > frame.bottom && frame.startY > frame.top) {
    page = 1;
    y = frame.top;
  }
  headers.push({ page, y });
  y += headerHeight;
  let rowsOnPage = 0;
  for (const height of rowHeights) {
    if (rowsOnPage > 0 && y + height > frame.bottom) {
      page += 1;
      headers.push({ page, y: frame.top });
      y = frame.top + headerHeight;
      rowsOnPage = 0;
    }
    rows.push({ page, y });
    y += height;
    rowsOnPage += 1;
  }
  return { headers, rows, endY: y };
}

/** The footer of every page. */
export function pageLabel(page: number, pages: number): string {
  return `Page ${page} of ${pages}`;
}
