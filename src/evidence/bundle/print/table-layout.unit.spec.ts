import { columnWidths, pageLabel, planTable } from './table-layout';

const frame = { startY: 100, top: 50, bottom: 790 };

describe('table layout', () => {
  it('fills the width exactly, in proportion to the weights', () => {
    const widths = columnWidths(495, [3, 8, 12, 20, 14]);
    expect(widths.reduce((a, b) => a + b, 0)).toBe(495);
    expect(widths[3]).toBeGreaterThan(widths[2]);
    expect(() => columnWidths(100, [])).toThrow(RangeError);
  });

  it('keeps a short table on the page it starts on', () => {
    const plan = planTable(20, [30, 30, 30], frame);
    expect(plan.headers).toEqual([{ page: 0, y: 100 }]);
    expect(plan.rows).toEqual([
      { page: 0, y: 120 },
      { page: 0, y: 150 },
      { page: 0, y: 180 },
    ]);
    expect(plan.endY).toBe(210);
  });

  it('flows a long table across pages, every row placed once, the header repeated on each page', () => {
    const heights = Array.from({ length: 120 }, (_, i) => 20 + (i % 5) * 7);
    const plan = planTable(24, heights, frame);
    expect(plan.rows).toHaveLength(heights.length);
    const pages = [...new Set(plan.rows.map((r) => r.page))];
    expect(pages.length).toBeGreaterThan(3);
    expect(plan.headers.map((h) => h.page)).toEqual(pages);
    plan.rows.forEach((r, i) => {
      const header = plan.headers.find((h) => h.page === r.page)!;
      expect(r.y).toBeGreaterThanOrEqual(header.y + 24);
      expect(r.y + heights[i]).toBeLessThanOrEqual(frame.bottom);
      const next = plan.rows[i + 1];
      if (next && next.page === r.page) expect(next.y).toBe(r.y + heights[i]);
    });
    for (const h of plan.headers.slice(1)) expect(h.y).toBe(frame.top);
  });

  it('starts on the next page when the header and first row do not fit where it would start', () => {
    const plan = planTable(20, [40], { ...frame, startY: 750 });
    expect(plan.headers).toEqual([{ page: 1, y: 50 }]);
    expect(plan.rows).toEqual([{ page: 1, y: 70 }]);
  });

  it('gives a row taller than a page a page of its own rather than dropping it', () => {
    const plan = planTable(20, [30, 2000, 30], frame);
    expect(plan.rows.map((r) => r.page)).toEqual([0, 1, 2]);
  });

  it('labels pages "Page x of y"', () => {
    expect(pageLabel(3, 12)).toBe('Page 3 of 12');
  });
});
