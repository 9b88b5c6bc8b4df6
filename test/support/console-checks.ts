import type { Page } from 'playwright-core';

/**
 * Checks run inside a console page: accessibility basics that can be decided from the DOM, and
 * layout on small screens. They return what is wrong, so a failure names the element.
 */

/** Labels, landmarks, one h1, named buttons and links, a page language, and text contrast (WCAG AA). */
export function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element): string =>
      `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('name') ? ` name=${el.getAttribute('name')}` : ''}> "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const shown = (el: Element): boolean => {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return style.display !== 'none' && style.visibility !== 'hidden' && box.width > 0 && box.height > 0;
    };

    if (!document.documentElement.lang) problems.push('the page has no lang');
    for (const landmark of ['header', 'nav', 'main', 'footer'])
      if (!document.querySelector(landmark)) problems.push(`no <${landmark}> landmark`);
    const h1 = document.querySelectorAll('h1');
    if (h1.length !== 1) problems.push(`${h1.length} h1 headings, expected one`);

    for (const control of Array.from(
      document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea'),
    )) {
      if (control.type === 'hidden') continue;
      const labelled = (control.labels?.length ?? 0) > 0 || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
      if (!labelled) problems.push(`unlabelled ${describe(control)}`);
    }
    for (const element of Array.from(document.querySelectorAll('button, a[href], summary'))) {
      if (shown(element) && !(element.textContent ?? '').trim() && !element.getAttribute('aria-label'))
        problems.push(`nameless ${describe(element)}`);
    }
    const ids = Array.from(document.querySelectorAll('[id]'), (el) => el.id);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (repeated.length > 0) problems.push(`repeated ids: ${[...new Set(repeated)].join(', ')}`);

    // Contrast of every visible text against the first opaque background behind it.
    const rgba = (text: string): [number, number, number, number] => {
      const parts = (text.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number);
      return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
    };
    const luminance = ([r, g, b]: number[]): number => {
      const channel = (c: number): number => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (el: Element | null): [number, number, number, number] => {
      for (let node = el; node; node = node.parentElement) {
        const color = rgba(getComputedStyle(node).backgroundColor);
        if (color[3] > 0.9) return color;
      }
      return [255, 255, 255, 1];
    };
    const faded = (el: Element): boolean => {
      for (let node: Element | null = el; node; node = node.parentElement) if (Number(getComputedStyle(node).opacity) < 1) return true;
      return false;
    };
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      if (element.closest('svg, script, style, noscript, [aria-hidden="true"]')) continue;
      const ownText = Array.from(element.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!ownText || !shown(element) || faded(element) || (element as HTMLButtonElement).disabled) continue;
      const style = getComputedStyle(element);
      const fg = rgba(style.color);
      const bg = background(element);
      const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (light + 0.05) / (dark + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5))
        problems.push(`contrast ${ratio.toFixed(2)}:1 for ${describe(element)} (${style.color} on rgb(${bg.slice(0, 3).join(', ')}))`);
    }
    return problems;
  });
}

/** Whether the page is wider than the window (content cut off or scrolling sideways on a phone). */
export function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; width: number; widest: string }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    let widest = '';
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && !el.closest('.table-wrap, pre')) {
        widest = `<${el.tagName.toLowerCase()} class="${el.className}"> right edge ${Math.round(box.right)}`;
        break;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, widest };
  });
}

/** Tabs through the page from where focus is; returns what received focus without a visible focus indicator. */
export async function focusWithoutIndicator(page: Page, presses: number): Promise<string[]> {
  const missing: string[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const result = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      return { visible, what: `<${el.tagName.toLowerCase()}> "${(el.textContent ?? '').trim().slice(0, 30)}"` };
    });
    if (result && !result.visible) missing.push(result.what);
  }
  return missing;
}

/** The family the console serves its Devanagari subsets under (styles.css @font-face). */
export const DEVANAGARI_FAMILY = 'Noto Sans Devanagari';

/**
 * Whether Devanagari on the page renders in the font the console serves, not in boxes: every
 * element with Devanagari text asks for that family first, a face of it has loaded, none failed
 * (a CSP refusal or a 404), and every weight in use is loaded for the very text shown.
 */
export function devanagariProblems(page: Page): Promise<string[]> {
  return page.evaluate(async (family) => {
    await document.fonts.ready;
    const problems: string[] = [];
    const devanagari = /\p{Script_Extensions=Devanagari}/u;
    const elements = Array.from(document.body.querySelectorAll<HTMLElement>('*')).filter((el) =>
      Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && devanagari.test(n.textContent ?? '')),
    );
    const controls = Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')).filter((c) =>
      devanagari.test(c.value),
    );
    if (elements.length + controls.length === 0) return problems;
    const faces = Array.from(document.fonts).filter((f) => f.family.replace(/"/g, '') === family);
    if (!faces.some((f) => f.status === 'loaded'))
      problems.push(`no ${family} face loaded (${faces.map((f) => f.status).join(', ') || 'none declared'})`);
    for (const f of faces.filter((face) => face.status === 'error')) problems.push(`${family} ${f.weight} failed to load`);
    for (const el of [...elements, ...controls]) {
      const style = getComputedStyle(el);
      const first = style.fontFamily.split(',')[0].trim().replace(/["']/g, '');
      const text = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : (el.textContent ?? '');
      const what = `<${el.tagName.toLowerCase()}> "${text.trim().slice(0, 30)}"`;
      if (first !== family) problems.push(`${what} asks for ${first} first`);
      else if (!document.fonts.check(`${style.fontWeight} 16px "${family}"`, text))
        problems.push(`${what}: ${family} ${style.fontWeight} not loaded`);
    }
    return problems;
  }, DEVANAGARI_FAMILY);
}

/** Elements whose box the notice (#notice) covers while it is shown: none may be. */
export function coveredByNotice(page: Page): Promise<{ shown: boolean; covered: string[] }> {
  return page.evaluate(() => {
    const notice = document.getElementById('notice');
    const box = notice?.getBoundingClientRect();
    if (!notice || !box || box.height === 0 || (notice.textContent ?? '').trim() === '') return { shown: false, covered: [] };
    const covered: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (el === notice || notice.contains(el) || el.contains(notice)) continue;
      const other = el.getBoundingClientRect();
      // Not drawn: zero-sized, invisible, or inside a closed <details>.
      if (other.width === 0 || other.height === 0 || !el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }))
        continue;
      const overlap =
        Math.min(box.right, other.right) - Math.max(box.left, other.left) > 0.5 &&
        Math.min(box.bottom, other.bottom) - Math.max(box.top, other.top) > 0.5;
      if (overlap) covered.push(`<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} class="${el.className}">`);
    }
    return { shown: true, covered };
  });
}
