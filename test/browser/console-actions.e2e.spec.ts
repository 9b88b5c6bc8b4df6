import { createHash, randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../src/shared/actor';
import { actors, CASH, LIQUOR, recordSeizureCommand } from '../support/custody-fixtures';
import { launchChromium, openPage, screenshotPath, startConsoleServer, type ConsoleServer, type PageTrouble } from '../support/browser';
import {
  accessibilityProblems,
  coveredByNotice,
  devanagariProblems,
  DEVANAGARI_FAMILY,
  horizontalOverflow,
} from '../support/console-checks';

/**
 * The console's actions beyond the walk-through, in Chromium against the real server, at phone
 * and desktop widths: each action offered only to whoever may take it now; a camera photo attached
 * with its SHA-256 computed in the browser and compared with the server's; a correction of an
 * event picked from the trail; notices that never cover the page; and Hindi, typed names
 * included, rendered in the font the console serves rather than in boxes.
 */
jest.setTimeout(180_000);

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const district = { national: false as const, states: [], districts: ['UP-VNS'] };
const custodian: Actor = {
  sub: 'u-mk-cantt',
  name: 'Head Constable Yadav',
  roles: ['custodian'],
  unit: 'MK-VNS-CANTT',
  agency: 'police',
  scope: district,
};
const officer = actors.flyingSquad;
/** A name as a user would type it: a conjunct (क्ष), a reph-less cluster (त्र) and a matra. */
const TYPED_NAME = 'क्षत्रिय रमेश';
const MEMO = 'FS3/VNS/2024/777';
/** A 1×1 PNG: what the server's content sniffing accepts as image/png. */
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('web console actions in Chromium (browser e2e)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const troubles: PageTrouble[] = [];
  const seizureId = randomUUID();

  const api = async (actor: Actor, path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.tokenFor(actor)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchChromium();
    // Recorded by the officer from a person whose name is typed in Devanagari; the cash is then handed to the malkhana.
    const recorded = recordSeizureCommand({ seizureId, memoNumber: MEMO }).data;
    await api(officer, '/seizures', { ...recorded, seizedFrom: { ...recorded.seizedFrom, name: TYPED_NAME } });
    await api(officer, `/seizures/${seizureId}/transfers`, {
      transferId: randomUUID(),
      itemIds: [CASH],
      to: { kind: 'malkhana', id: custodian.unit, name: 'Police malkhana, Cantt' },
      sealNumbers: ['S-1001'],
      reason: 'safe custody',
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(() => {
    for (const trouble of troubles) expect(trouble.errors).toEqual([]);
  });

  const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
  const notice = (page: Page) => page.locator('#notice');
  const offered = (page: Page) =>
    page.locator('details[data-action]').evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));

  async function openSeizure(actor: Actor, viewport: { width: number; height: number }): Promise<Page> {
    const session = await openPage(browser, { viewport });
    troubles.push(session.trouble);
    const { page } = session;
    await page.goto(`${server.url}/`);
    await page.getByLabel('Bearer token').fill(server.tokenFor(actor));
    await page.getByRole('button', { name: /Sign in/ }).click();
    await page.getByRole('heading', { level: 1, name: /Seizures/ }).waitFor();
    await page.getByRole('link', { name: MEMO }).waitFor();
    // The "Signed in" notice shows now, above the list of seizures: it must cover none of it.
    await expectNoticeCoversNothing(page, /Signed in as/, `${actor.name} signed in, ${viewport.width} px wide`);
    await page.evaluate((id) => (location.hash = `#/seizures/${id}`), seizureId);
    await page.getByRole('heading', { level: 1, name: new RegExp(MEMO) }).waitFor();
    await page.getByRole('heading', { name: /Event trail/ }).waitFor();
    return page;
  }

  async function check(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
    expect({ page: name, problems: await accessibilityProblems(page) }).toEqual({ page: name, problems: [] });
    expect({ page: name, devanagari: await devanagariProblems(page) }).toEqual({ page: name, devanagari: [] });
    const overflow = await horizontalOverflow(page);
    expect({ page: name, ...overflow }).toEqual({ page: name, scrollWidth: overflow.width, width: overflow.width, widest: '' });
  }

  async function expectNoticeCoversNothing(page: Page, text: RegExp, where: string): Promise<void> {
    await notice(page).filter({ hasText: text }).waitFor();
    expect({ where, ...(await coveredByNotice(page)) }).toEqual({ where, shown: true, covered: [] });
  }

  it.each([
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ])('offers each action only to whoever may take it now (%s)', async (size, viewport) => {
    // The transfer is open: only the malkhana it names may answer it.
    const custodianPage = await openSeizure(custodian, viewport);
    await custodianPage.getByRole('heading', { name: /Transfers awaiting your acceptance/ }).waitFor();
    const officerPage = await openSeizure(officer, viewport);
    expect(await officerPage.getByRole('heading', { name: /Transfers awaiting your acceptance/ }).count()).toBe(0);
    // The officer still holds the liquor (not the cash, in transfer): hand it over or value it, but deposit nothing.
    expect(await offered(officerPage)).toEqual(
      expect.arrayContaining(['initiateTransfer', 'valueItems', 'registerFir', 'referToIncomeTax', 'addAttachment', 'recordCorrection']),
    );
    expect(await offered(officerPage)).not.toContain('depositCash');
    await officerPage.locator('details[data-action="initiateTransfer"] > summary').click();
    // The form is built when its details open.
    await officerPage.locator('details[data-action="initiateTransfer"] form').waitFor();
    expect(
      await officerPage
        .locator('details[data-action="initiateTransfer"] input[name="itemIds"]')
        .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value)),
    ).toEqual([LIQUOR]);
    await check(officerPage, `21-actions-officer-${size}`);
    // A treasury holding nothing is offered nothing to hand over, deposit or confirm; a court no photo.
    const treasuryPage = await openSeizure(actors.treasuryOfficer, viewport);
    expect(await offered(treasuryPage)).toEqual(['addAttachment']);
    const courtPage = await openSeizure(actors.court, viewport);
    expect((await offered(courtPage)).sort()).toEqual(['disposeItems', 'orderRelease']);
    for (const page of [custodianPage, officerPage, treasuryPage, courtPage]) await page.context().close();
  });

  it('deposits offered to the custodian who holds the cash, once they accepted it', async () => {
    const transfer = (await (
      await fetch(`${server.url}/seizures/${seizureId}`, { headers: { Authorization: `Bearer ${server.tokenFor(officer)}` } })
    ).json()) as {
      transfers: Array<{ transferId: string; status: string }>;
    };
    const open = transfer.transfers.find((t) => t.status === 'open');
    if (!open) throw new Error('no open transfer');
    await api(custodian, `/seizures/${seizureId}/transfers/${open.transferId}/accept`, {
      seals: [{ number: 'S-1001', condition: 'intact' }],
      countedQuantities: [{ itemId: CASH, quantity: 125_000_000 }],
      remarks: '',
    });
    const custodianPage = await openSeizure(custodian, DESKTOP);
    expect(await offered(custodianPage)).toEqual(expect.arrayContaining(['initiateTransfer', 'depositCash', 'recordCorrection']));
    // Cash is its own value, and the liquor is not theirs.
    expect(await offered(custodianPage)).not.toContain('valueItems');
    const officerPage = await openSeizure(officer, DESKTOP);
    expect(await offered(officerPage)).not.toContain('depositCash');
    for (const page of [custodianPage, officerPage]) await page.context().close();
  });

  it('attaches a camera photo from a phone, its SHA-256 computed in the browser, shown, and compared with the server’s', async () => {
    const page = await openSeizure(officer, PHONE);
    await page.locator('details[data-action="addAttachment"] > summary').click();
    await page.locator('details[data-action="addAttachment"] form').waitFor();
    const input = field(page, 'file');
    expect(await input.getAttribute('accept')).toBe('image/*');
    expect(await input.getAttribute('capture')).toBe('environment');
    await input.setInputFiles({ name: 'seal-S-1002.png', mimeType: 'image/png', buffer: PHOTO });
    const expected = createHash('sha256').update(PHOTO).digest('hex');
    await page.locator('[data-hash="local"]', { hasText: expected }).waitFor();
    expect(await field(page, 'fileName').inputValue()).toBe('seal-S-1002.png');
    await field(page, 'description').fill('Seal S-1002 on carton 1');
    await check(page, '22-attachment-hashed-phone');
    await page.getByRole('button', { name: /Attach photo/ }).click();
    await expectNoticeCoversNothing(
      page,
      /seal-S-1002\.png attached; the server recorded the SHA-256 computed on this device/,
      'after upload',
    );
    const row = page
      .locator('section.panel', { has: page.getByRole('heading', { name: /Attachments/ }) })
      .locator('tr', { hasText: expected });
    await row.waitFor();
    expect(await row.innerText()).toMatch(
      /seal-S-1002\.png[\s\S]*Seal S-1002 on carton 1[\s\S]*image\/png[\s\S]*same hash as computed before upload/,
    );
    await check(page, '23-attachment-uploaded-phone');
    await page.context().close();
  });

  it('records a correction of an event the user recorded, picked from the trail', async () => {
    const page = await openSeizure(officer, DESKTOP);
    await page.locator('details[data-action="recordCorrection"] > summary').click();
    await page.locator('details[data-action="recordCorrection"] form').waitFor();
    const choices = await field(page, 'correctsEventId').locator('option').allInnerTexts();
    // The officer's own events only: the record, the hand-over and the photo, not the custodian's acceptance.
    expect(choices.map((c) => c.replace(/,.*/, ''))).toEqual(['#0 Seizure recorded', '#1 Transfer started', '#3 Attachment added']);
    await field(page, 'correctsEventId').selectOption({ index: 0 });
    await field(page, 'whatWasWrong').fill('The vehicle number was recorded as UP65AB1234');
    await field(page, 'correction').fill('The vehicle number is UP65AB1243');
    await field(page, 'reason').fill('Digits transposed when copying from the memo');
    await page.getByRole('button', { name: /Record correction/ }).click();
    await expectNoticeCoversNothing(page, /Correction to #0 Seizure recorded/, 'after the correction');
    await page.locator('.trail-entry', { hasText: 'Correction recorded' }).waitFor();
    await check(page, '24-correction-desktop');
    await page.context().close();
  });

  it.each([
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ])('renders Devanagari, typed names included, in the served font with conjuncts shaped, not boxes (%s)', async (size, viewport) => {
    const page = await openSeizure(officer, viewport);
    const name = page.locator('dd', { hasText: TYPED_NAME });
    await name.waitFor();
    expect(await devanagariProblems(page)).toEqual([]);

    // What Chromium itself drew the name with: the served font, for every Devanagari glyph.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const handle = await name.elementHandle();
    await handle?.evaluate((el) => el.setAttribute('data-probe', 'typed-name'));
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-probe="typed-name"]' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(fonts.filter((f) => f.isCustomFont)).toEqual([expect.objectContaining({ familyName: DEVANAGARI_FAMILY })]);
    // All but the space between the two words came from it.
    expect(fonts.find((f) => f.isCustomFont)?.glyphCount).toBeGreaterThanOrEqual(TYPED_NAME.replace(' ', '').length - 4);

    const widths = await page.evaluate(
      ({ family, typed }) => {
        const measure = (text: string, fontFamily: string): number => {
          const span = document.createElement('span');
          span.textContent = text;
          span.style.fontFamily = fontFamily;
          span.style.fontSize = '32px';
          span.style.whiteSpace = 'pre';
          // Out of the body's flex layout, which would stretch it to the page's width.
          span.style.position = 'absolute';
          document.body.append(span);
          const width = span.getBoundingClientRect().width;
          span.remove();
          return width;
        };
        const served = `"${family}"`;
        return {
          served: measure(typed, served),
          letters: ['क', 'ष', 'त', 'र', 'म', 'श', 'य'].map((letter) => measure(letter, served)),
          conjunct: measure('क्ष', served),
          spelledOut: measure('क्\u200Cष', served),
        };
      },
      { family: DEVANAGARI_FAMILY, typed: TYPED_NAME },
    );
    // Boxes are all one width; real letters are not. (The browser's fallback fonts here are the same
    // Noto fonts, so a width against them would prove nothing: the CDP report above shows the served font drew it.)
    expect(new Set(widths.letters.map((w) => w.toFixed(1))).size).toBeGreaterThanOrEqual(4);
    // GSUB kept: क्ष forms its conjunct, narrower than क् and ष with the virama shown (ZWNJ).
    expect(widths.conjunct).toBeLessThan(widths.spelledOut - 4);
    await check(page, `25-devanagari-${size}`);
    await page.context().close();
  });
});
