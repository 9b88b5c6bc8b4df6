import { readFileSync, writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Actor } from '../../src/shared/actor';
import { addIndianDays, indianDayOf } from '../../src/shared/indian-day';
import { actors } from '../support/custody-fixtures';
import { launchChromium, openPage, screenshotPath, startConsoleServer, type ConsoleServer, type PageTrouble } from '../support/browser';
import { accessibilityProblems, devanagariProblems, focusWithoutIndicator, horizontalOverflow } from '../support/console-checks';

/**
 * The web console end to end in Chromium, against the real server: an officer records a seizure,
 * the custodian it is handed to sees it arrive in their inbox (live, without reloading) and
 * accepts it, deposits the cash, the treasury confirms the deposit (on a phone-sized screen), the
 * statement shows the new totals, and a court downloads the evidence bundle, which the in-browser
 * verifier passes and a tampered copy of which it fails. Every step is done through the pages.
 */
jest.setTimeout(240_000);

const district = { national: false as const, states: [], districts: ['UP-VNS'] };
/** The police malkhana the flying squad hands the cash to. */
const custodian: Actor = {
  sub: 'u-mk-cantt',
  name: 'Head Constable Yadav',
  roles: ['custodian'],
  unit: 'MK-VNS-CANTT',
  agency: 'police',
  scope: district,
};
const officer = actors.flyingSquad;
const treasury = actors.treasuryOfficer;
const court = actors.court;
const auditor = actors.auditor;

const MEMO = 'FS3/VNS/2024/501';
const PHONE = { width: 390, height: 844 };
// The browser and this server both run on the real clock (the forms default to the device's day),
// so the poll is ten Indian days before today's Indian day, whatever this machine's zone.
const pollDate = addIndianDays(indianDayOf(Date.now()), -10);

interface Session {
  context: BrowserContext;
  page: Page;
  trouble: PageTrouble;
}

describe('web console in Chromium (browser e2e)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const sessions: Session[] = [];
  let seizureUrl = '';

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const s of sessions) await s.context.close();
    await browser?.close();
    await server?.close();
  });

  afterEach(() => {
    // Uncaught errors, CSP refusals and the like, in any page of the test.
    for (const s of sessions) expect(s.trouble.errors).toEqual([]);
  });

  const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
  const notice = (page: Page) => page.locator('#notice');
  const navLink = (page: Page, name: RegExp) => page.locator('#nav').getByRole('link', { name });

  async function signIn(actor: Actor, options: { viewport?: { width: number; height: number }; screenshot?: string } = {}): Promise<Page> {
    const session = await openPage(browser, options);
    sessions.push(session);
    const { page } = session;
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: /Sign in/ }).waitFor();
    if (options.screenshot) await page.screenshot({ path: screenshotPath(options.screenshot), fullPage: true });
    await page.getByLabel('Bearer token').fill(server.tokenFor(actor));
    await page.getByRole('button', { name: /Sign in/ }).click();
    await page.locator('.who-name', { hasText: actor.name }).waitFor();
    await page.getByRole('heading', { level: 1, name: /Seizures/ }).waitFor();
    return page;
  }

  async function check(page: Page, name: string, options: { phone?: boolean } = {}): Promise<void> {
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
    expect({ page: name, problems: await accessibilityProblems(page) }).toEqual({ page: name, problems: [] });
    // Hindi in the served font, never boxes: labels and what users typed alike.
    expect({ page: name, devanagari: await devanagariProblems(page) }).toEqual({ page: name, devanagari: [] });
    if (options.phone) {
      const overflow = await horizontalOverflow(page);
      expect({ page: name, ...overflow }).toEqual({ page: name, scrollWidth: overflow.width, width: overflow.width, widest: '' });
    }
  }

  async function openAction(page: Page, action: string): Promise<void> {
    await page.locator(`details[data-action="${action}"] > summary`).click();
    await page.locator(`details[data-action="${action}"] form`).waitFor();
  }

  it('signs in with a token, showing name, roles, unit and scope, and refuses a bad token at the field', async () => {
    const session = await openPage(browser);
    sessions.push(session);
    const { page } = session;
    const response = await page.goto(`${server.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'sha256-");
    await page.getByRole('heading', { name: /Sign in/ }).waitFor();
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: /Sign in/ }).click();
    const error = page.locator('.field-error:not([hidden])');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/malformed token/);
    expect(await page.getByLabel('Bearer token').getAttribute('aria-invalid')).toBe('true');
    await check(page, '01-sign-in-refused');

    // The token command's output, as pasted with its line break and a Bearer prefix.
    await page.getByLabel('Bearer token').fill(`Bearer ${server.tokenFor(officer)}\n`);
    await page.getByRole('button', { name: /Sign in/ }).press('Enter');
    await page.locator('.who-name', { hasText: officer.name }).waitFor();
    await page.locator('.who-details > summary').click();
    const claims = await page.locator('.who-panel').innerText();
    expect(claims).toContain('Officer');
    expect(claims).toContain('FS-VNS-03');
    expect(claims).toContain('UP-VNS');
    expect(claims).toContain('u-fs-officer');
    await page.screenshot({ path: screenshotPath('02-signed-in-claims'), fullPage: false });
    expect(await page.evaluate(() => [Object.keys(sessionStorage), Object.keys(localStorage)])).toEqual([['seizure-ledger.token'], []]);
    await page.getByRole('button', { name: /Sign out/ }).click();
    await page.getByRole('heading', { name: /Sign in/ }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('walks a seizure from record to confirmed deposit, statement and verified evidence, all in the UI', async () => {
    // The custodian opens the inbox first: the transfer must arrive there live.
    const custodianPage = await signIn(custodian);
    await navLink(custodianPage, /Inbox/).click();
    await custodianPage.getByText('Nothing awaits you').waitFor();
    await custodianPage.locator('#live-status[data-status="live"]').waitFor();

    // 1. The officer records the seizure, first with a mistake the API reports at its field.
    const officerPage = await signIn(officer, { screenshot: '00-sign-in' });
    await officerPage.locator('#live-status[data-status="live"]').waitFor();
    await navLink(officerPage, /Record/).click();
    await officerPage.getByRole('heading', { name: /Record a seizure/ }).waitFor();
    const form: Record<string, string> = {
      memoNumber: MEMO,
      team: 'Flying Squad 3, Varanasi Cantt',
      'location.district': 'VARANASI',
      'location.assemblyConstituency': '390',
      'location.parliamentaryConstituency': '77',
      'location.latitude': '25.3176',
      'location.longitude': '82.9739',
      'location.place': 'चेक पोस्ट, मुग़लसराय रोड',
      'election.id': 'GE-2024',
      'election.name': 'General Election to Lok Sabha 2024',
      'election.pollDate': pollDate,
      'seizedFrom.name': 'रमेश चंद्र',
      'seizedFrom.address': 'Sigra, Varanasi',
      'witnesses[0].name': 'Mohan Lal',
      'witnesses[0].address': 'Cantt, Varanasi',
      'witnesses[1].name': 'Shabana Bano',
      'witnesses[1].address': 'Lahurabir, Varanasi',
      'items[0].description': 'Rs 500 notes, 2500 pieces',
      'items[0].quantity': '12,50,000',
      'items[0].sealNumbers': 'S-1001',
    };
    for (const [name, value] of Object.entries(form)) await field(officerPage, name).fill(value);
    await officerPage.getByRole('button', { name: 'Add an item' }).click();
    await field(officerPage, 'items[1].category').selectOption('liquor');
    await field(officerPage, 'items[1].description').fill('Whisky, 64 bottles of 750 ml');
    await field(officerPage, 'items[1].quantity').fill('48000');
    await field(officerPage, 'items[1].packages').fill('4');
    await field(officerPage, 'items[1].sealNumbers').fill('S-1002, S-1003');
    await field(officerPage, 'items[1].estimatedValuePaise').fill('48,000');
    await officerPage.getByRole('button', { name: /Record seizure/ }).click();
    const districtError = officerPage
      .locator('.field.invalid')
      .filter({ has: field(officerPage, 'location.district') })
      .locator('.field-error');
    await districtError.waitFor();
    expect(await districtError.textContent()).toContain('district must be a district code such as UP-VNS');
    expect(await field(officerPage, 'location.district').getAttribute('aria-invalid')).toBe('true');
    expect(await officerPage.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('location.district');
    await check(officerPage, '03-record-seizure-field-error');

    await field(officerPage, 'location.district').fill('UP-VNS');
    await officerPage.getByRole('button', { name: /Record seizure/ }).click();
    await officerPage.getByRole('heading', { level: 1, name: new RegExp(`Seizure ${MEMO}`) }).waitFor();
    seizureUrl = officerPage.url();
    const items = await officerPage.locator('table').first().innerText();
    expect(items).toContain('₹12,50,000.00');
    expect(items).toContain('₹48,000.00');
    expect(items).toContain('48,000 ml');
    expect(items).toContain('Flying Squad 3, Varanasi Cantt');

    // 2. The officer hands the cash to the police malkhana.
    await openAction(officerPage, 'initiateTransfer');
    await officerPage.locator('details[data-action="initiateTransfer"] input[name="itemIds"][value="item-1"]').check();
    expect(await field(officerPage, 'sealNumbers').inputValue()).toBe('S-1001');
    await field(officerPage, 'to.kind').selectOption('malkhana');
    await field(officerPage, 'to.id').fill('MK-VNS-CANTT');
    await field(officerPage, 'to.name').fill('Police malkhana, Cantt');
    await field(officerPage, 'reason').fill('cash to safe custody before deposit');
    await officerPage.getByRole('button', { name: /Start transfer/ }).click();
    await notice(officerPage).filter({ hasText: 'started' }).waitFor();
    await officerPage.locator('.badge', { hasText: 'in transfer' }).first().waitFor();
    await check(officerPage, '04-seizure-officer');

    // 3. It arrives in the custodian's inbox without a reload; they check the seal and count.
    const cashCard = custodianPage.locator('article[data-transfer]');
    await cashCard.waitFor({ timeout: 15_000 });
    expect(await cashCard.innerText()).toContain(MEMO);
    await cashCard.locator('summary', { hasText: 'Accept' }).click();
    await field(custodianPage, 'seals[0].condition').selectOption('intact');
    await field(custodianPage, 'countedQuantities[0].quantity').fill('12,50,000');
    await field(custodianPage, 'remarks').first().fill('counted by machine, 2500 notes');

    // Meanwhile the officer hands over the liquor too: the inbox offers the change instead of wiping the form.
    await openAction(officerPage, 'initiateTransfer');
    await officerPage.locator('details[data-action="initiateTransfer"] input[name="itemIds"][value="item-2"]').check();
    expect(await field(officerPage, 'sealNumbers').inputValue()).toBe('S-1002, S-1003');
    await field(officerPage, 'to.kind').selectOption('malkhana');
    await field(officerPage, 'to.id').fill('MK-VNS-CANTT');
    await field(officerPage, 'to.name').fill('Police malkhana, Cantt');
    await field(officerPage, 'reason').fill('case property');
    await officerPage.getByRole('button', { name: /Start transfer/ }).click();
    await notice(officerPage).filter({ hasText: 'started' }).waitFor();
    await custodianPage.locator('.update-bar:not([hidden])', { hasText: 'Your inbox has changed.' }).waitFor({ timeout: 15_000 });
    expect(await field(custodianPage, 'countedQuantities[0].quantity').inputValue()).toBe('12,50,000');
    await check(custodianPage, '05-inbox-accept');

    await custodianPage.getByRole('button', { name: /Accept custody/ }).click();
    await notice(custodianPage).filter({ hasText: 'Custody accepted' }).waitFor();
    await custodianPage.locator('.update-bar[hidden]').waitFor({ state: 'attached' });
    // The liquor is next: one seal arrives broken, which the ledger records as a discrepancy.
    const liquorCard = custodianPage.locator('article[data-transfer]', { hasText: 'item-2' });
    await liquorCard.waitFor();
    expect(await custodianPage.locator('article[data-transfer]').count()).toBe(1);
    await liquorCard.locator('summary', { hasText: 'Accept' }).click();
    await field(custodianPage, 'seals[1].condition').waitFor();
    await field(custodianPage, 'seals[0].condition').selectOption('intact');
    await field(custodianPage, 'seals[1].condition').selectOption('broken');
    await field(custodianPage, 'countedQuantities[0].quantity').fill('48000');
    await field(custodianPage, 'remarks').first().fill('seal S-1003 torn on one carton');
    await custodianPage.getByRole('button', { name: /Accept custody/ }).click();
    await notice(custodianPage).filter({ hasText: 'with 1 discrepancy recorded' }).waitFor();
    await custodianPage.getByText('Nothing awaits you').waitFor();

    // 4. The custodian deposits the cash in the treasury.
    await navLink(custodianPage, /Seizures/).click();
    await custodianPage.getByRole('link', { name: MEMO }).click();
    await custodianPage.getByRole('heading', { level: 1, name: new RegExp(MEMO) }).waitFor();
    expect(await custodianPage.locator('table').first().innerText()).toContain('Police malkhana, Cantt');
    await openAction(custodianPage, 'depositCash');
    await custodianPage.locator('details[data-action="depositCash"] input[name="itemIds"][value="item-1"]').check();
    expect(await field(custodianPage, 'amountPaise').inputValue()).toBe('12,50,000.00');
    await field(custodianPage, 'challanNumber').fill('CH-2024-501');
    await field(custodianPage, 'treasury.id').fill('TR-VNS');
    await field(custodianPage, 'treasury.name').fill('District Treasury Varanasi');
    await custodianPage.getByRole('button', { name: /Record deposit/ }).click();
    await notice(custodianPage).filter({ hasText: 'CH-2024-501' }).waitFor();

    // 5. The treasury confirms it, on a phone.
    const treasuryPage = await signIn(treasury, { viewport: PHONE });
    await navLink(treasuryPage, /Treasury/).click();
    await treasuryPage.getByText('Deposits awaiting confirmation').waitFor();
    await check(treasuryPage, '06-treasury-phone', { phone: true });
    await treasuryPage.getByRole('link', { name: 'Open seizure' }).first().click();
    await treasuryPage.getByRole('heading', { level: 1, name: new RegExp(MEMO) }).waitFor();
    await check(treasuryPage, '07-seizure-phone', { phone: true });
    await openAction(treasuryPage, 'confirmDeposit');
    await field(treasuryPage, 'confirmedAmountPaise').fill('1250000');
    await field(treasuryPage, 'remarks').fill('credited to the deposit head');
    await treasuryPage.getByRole('button', { name: /Confirm deposit/ }).click();
    await notice(treasuryPage).filter({ hasText: 'confirmed' }).waitFor();
    await treasuryPage.locator('.badge', { hasText: 'deposited, challan CH-2024-501' }).waitFor();
    await navLink(treasuryPage, /Treasury/).click();
    const reconciliation = treasuryPage.locator('section[aria-label="Treasury District Treasury Varanasi"]');
    await reconciliation.waitFor();
    expect(await reconciliation.innerText()).toMatch(/Confirmed by the treasury\s+₹12,50,000\.00 \(1 challan\)/);
    await check(treasuryPage, '08-treasury-confirmed-phone', { phone: true });

    // 6. The statement shows the new totals, with a chart and a CSV.
    await navLink(officerPage, /Statement/).click();
    await officerPage.locator('#statement-total', { hasText: '₹12,98,000.00' }).waitFor();
    expect(await officerPage.locator('svg.chart title').first().textContent()).toContain('UP ₹12,98,000.00');
    expect(await officerPage.locator('table').first().innerText()).toMatch(/UP\s+1\s+₹12,50,000\.00\s+48\.000 l\s+₹48,000\.00/);
    const [csv] = await Promise.all([
      officerPage.waitForEvent('download'),
      officerPage.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^seizure-statement-\d{4}-\d{2}-\d{2}-by-state\.csv$/);
    const csvText = readFileSync(await csv.path(), 'utf8');
    expect(csvText).toContain(',total,,,,1,1250000.00,125000000,48.000,48000,48000.00,4800000,');
    expect(csvText).toContain('ledger_tree_head,logId,treeSize');
    await check(officerPage, '09-statement');

    await navLink(officerPage, /Deadlines/).click();
    // Wait for the deadlines' own table: the statement's can still be on the page for a moment.
    const deadlines = officerPage.locator('table', { hasText: 'Held 7 days after the poll, no FIR' });
    await deadlines.waitFor();
    expect(await deadlines.innerText()).toMatch(/Held 7 days after the poll, no FIR[\s\S]*overdue by/);
    await officerPage.getByRole('link', { name: 'Overdue and due within 48 hours' }).click();
    await officerPage.getByText('Cash above Rs 10 lakh not referred to Income Tax').waitFor();
    await check(officerPage, '10-deadlines');

    await navLink(officerPage, /Live/).click();
    await officerPage.getByRole('heading', { name: /Live feed/ }).waitFor();
    expect(await officerPage.locator('.live-list li').count()).toBeGreaterThanOrEqual(3);
    expect(await officerPage.locator('.live-list').innerText()).toContain('Deposit confirmed');
    await check(officerPage, '11-live-feed');

    // 7. The court downloads the bundle and the PDF; the verifier passes the bundle and fails a tampered copy.
    const courtPage = await signIn(court);
    await field(courtPage, 'memoNumber').fill(MEMO);
    await field(courtPage, 'memoNumber').press('Enter');
    await courtPage.getByRole('link', { name: MEMO }).click();
    await courtPage.getByRole('heading', { level: 1, name: new RegExp(MEMO) }).waitFor();
    const timeline = courtPage.locator('section[aria-label="Custody of item-1"]');
    const timelineText = await timeline.innerText();
    expect(timelineText).toContain('Flying Squad 3, Varanasi Cantt');
    expect(timelineText).toContain('Police malkhana, Cantt');
    expect(timelineText).toContain('S-1001 intact');
    expect(timelineText).toContain('holds it now');
    const liquor = courtPage.locator('section[aria-label="Custody of item-2"]');
    expect(await liquor.locator('.seal-bad').innerText()).toBe('S-1003 broken');
    expect(await liquor.locator('.interval.troubled .discrepancy').innerText()).toMatch(
      /Discrepancy: seals broken[\s\S]*Found: S-1003 broken/,
    );
    // Recorded, two handovers started and accepted, the discrepancy, the deposit and its confirmation.
    expect(await courtPage.locator('.trail-entry').count()).toBe(8);
    await check(courtPage, '12-seizure-court');

    const [pdfDownload] = await Promise.all([
      courtPage.waitForEvent('download', { timeout: 30_000 }),
      courtPage.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    expect(pdfDownload.suggestedFilename()).toMatch(/^evidence-.+\.pdf$/);
    expect(
      readFileSync(await pdfDownload.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const [bundleDownload] = await Promise.all([
      courtPage.waitForEvent('download', { timeout: 30_000 }),
      courtPage.getByRole('button', { name: 'Download bundle (JSON)' }).click(),
    ]);
    expect(bundleDownload.suggestedFilename()).toMatch(/^evidence-.+\.json$/);
    const bundlePath = await bundleDownload.path();
    const bundleText = readFileSync(bundlePath, 'utf8');
    expect(JSON.parse(bundleText)).toMatchObject({ format: 'seizure-ledger-evidence/2' });

    await courtPage.getByRole('link', { name: 'Verify it in this browser' }).click();
    await courtPage.getByText('Checked against this ledger’s published Ed25519 key').waitFor();
    await courtPage
      .getByLabel(/Drop a bundle file here/)
      .setInputFiles({ name: 'evidence.json', mimeType: 'application/json', buffer: Buffer.from(bundleText) });
    await courtPage.locator('#verdict', { hasText: 'VERIFIED: evidence.json — every check passed.' }).waitFor();
    expect(await courtPage.locator('.check-fail').count()).toBe(0);
    expect(await courtPage.locator('.check-ok').count()).toBeGreaterThanOrEqual(5);
    await check(courtPage, '13-verify-passed');

    // With the bundle's own key the same bundle is consistent but not authenticated: no green verdict, no tick on the key.
    await courtPage.getByLabel('Use the key embedded in the bundle instead').check();
    await courtPage
      .getByLabel(/Drop a bundle file here/)
      .setInputFiles({ name: 'self.json', mimeType: 'application/json', buffer: Buffer.from(bundleText) });
    await courtPage.locator('#verdict', { hasText: 'NOT AUTHENTICATED: self.json' }).waitFor();
    expect(await courtPage.locator('#verdict').getAttribute('class')).toContain('verdict-warn');
    expect(await courtPage.locator('[data-check="public-key"]').innerText()).toMatch(/^! Not proven public-key: NOT CHECKED/);
    await courtPage.getByLabel('Use the key embedded in the bundle instead').uncheck();

    const tampered = JSON.parse(bundleText) as { events: Array<{ data: { items?: Array<{ quantity: number }> } }> };
    const recorded = tampered.events[0].data.items;
    if (!recorded) throw new Error('the first event holds no items');
    recorded[0].quantity = 25_000_000;
    const tamperedPath = `${bundlePath}.tampered.json`;
    writeFileSync(tamperedPath, JSON.stringify(tampered));
    await courtPage.getByLabel(/Drop a bundle file here/).setInputFiles(tamperedPath);
    await courtPage.locator('#verdict', { hasText: 'NOT VERIFIED' }).waitFor();
    expect(await courtPage.locator('[data-check="event-hashes"]').innerText()).toMatch(
      /✗ Failed event-hashes: revision 0 .* content was altered/,
    );
    expect(await courtPage.locator('[data-check="bundle-hash"]').getAttribute('class')).toContain('check-fail');
    await check(courtPage, '14-verify-failed');
  });

  it('offers no forbidden action, and the API refuses one forced from the page', async () => {
    expect(seizureUrl).not.toBe('');
    const seizureId = seizureUrl.split('/').pop() ?? '';

    const auditorPage = await signIn(auditor);
    const nav = await auditorPage.locator('#nav').innerText();
    expect(nav).not.toMatch(/Record|Inbox/);
    await auditorPage.goto(seizureUrl);
    await auditorPage.getByRole('heading', { level: 1, name: new RegExp(MEMO) }).waitFor();
    await auditorPage.getByRole('heading', { name: /Custody timeline/ }).waitFor();
    expect(await auditorPage.locator('details[data-action]').count()).toBe(0);
    expect(await auditorPage.getByRole('button', { name: /Download/ }).count()).toBe(0);
    expect(await auditorPage.getByText('withheld: your role does not grant access to personal data').count()).toBe(2);
    await check(auditorPage, '15-seizure-auditor');

    // The page offers nothing, so force it: the auditor's own token, from the page, straight at the API.
    const forced = await auditorPage.evaluate(async (id) => {
      const token = sessionStorage.getItem('seizure-ledger.token') ?? '';
      const response = await fetch(`/seizures/${id}/release-orders`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          orderNumber: 'X-1',
          orderedOn: '2024-04-20',
          itemIds: ['item-2'],
          releaseTo: { name: 'Someone' },
          reasons: 'no reason the auditor could give for this',
        }),
      });
      return { status: response.status, body: (await response.json()) as { detail: string } };
    }, seizureId);
    expect(forced.status).toBe(403);
    expect(forced.body.detail).toBe('This action requires one of the roles: committee, court.');

    // The treasury may confirm deposits but not record seizures or order releases; the court the reverse of some.
    const treasuryPage = sessions.find((s) => s.page.viewportSize()?.width === PHONE.width)?.page;
    if (!treasuryPage) throw new Error('the treasury page of the previous test is gone');
    expect(await treasuryPage.locator('#nav').innerText()).not.toContain('Record');
    await treasuryPage.goto(seizureUrl);
    await treasuryPage.getByRole('heading', { level: 1, name: new RegExp(MEMO) }).waitFor();
    const treasuryActions = await treasuryPage
      .locator('details[data-action]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
    expect(treasuryActions).not.toContain('orderRelease');
    expect(treasuryActions).not.toContain('disposeItems');
    expect(treasuryActions).not.toContain('valueItems');
    const recordForced = await treasuryPage.evaluate(async () => {
      const token = sessionStorage.getItem('seizure-ledger.token') ?? '';
      return (
        await fetch('/seizures', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: '{}',
        })
      ).status;
    });
    expect(recordForced).toBe(403);
  });

  it('works from the keyboard: skip link, visible focus, a form submitted with Enter', async () => {
    const page = await signIn(officer);
    // From a fresh load, so tabbing starts at the top of the page.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Seizures/ }).waitFor();
    expect(await focusWithoutIndicator(page, 14)).toEqual([]);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Seizures/ }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await field(page, 'vehicleNumber').focus();
    await page.keyboard.type('UP65XX0000');
    await page.keyboard.press('Enter');
    await page.getByText('No seizures match these filters within your jurisdiction.').waitFor();
    expect(page.url()).toContain('vehicleNumber=UP65XX0000');
    await check(page, '16-seizures-search-empty');
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.getByRole('link', { name: MEMO }).waitFor();
    await check(page, '17-seizures-list');
  });

  it('fits a phone: the record form, the list and the inbox, without sideways scrolling', async () => {
    const page = await signIn(officer, { viewport: PHONE });
    await page.getByRole('link', { name: MEMO }).waitFor();
    await check(page, '18-seizures-phone', { phone: true });
    await navLink(page, /Record/).click();
    await page.getByRole('heading', { name: /Record a seizure/ }).waitFor();
    await check(page, '19-record-phone', { phone: true });
    const inbox = await signIn(custodian, { viewport: PHONE });
    await inbox.goto(`${server.url}/#/inbox?status=accepted`);
    await inbox.locator('article[data-transfer]').first().waitFor();
    await check(inbox, '20-inbox-accepted-phone', { phone: true });
  });

  it('stays small: everything the console ever loads, the verifier included, is well under 300 KB on the wire, the fonts under 140 KB', async () => {
    const { page } = await openPage(browser).then((s) => (sessions.push(s), s));
    await page.goto(`${server.url}/#/verify`);
    await page.getByRole('heading', { name: /Verify an evidence bundle/ }).waitFor();
    // Loads the verifier and its Ed25519 and SHA-256 modules, as verifying a bundle does.
    await page.evaluate('import("/console/src/evidence/verify/bundle.verify.js").then(() => true)');
    const sizes = await page.evaluate(() =>
      [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
        .map((e) => e as PerformanceResourceTiming)
        .filter((e) => new URL(e.name).pathname === '/' || new URL(e.name).pathname.startsWith('/console/'))
        .map((e) => ({ name: new URL(e.name).pathname, transfer: e.transferSize, decoded: e.decodedBodySize })),
    );
    // The Devanagari fonts are counted on their own: fetched once, only by pages showing Hindi, and already compressed.
    const isFont = (s: { name: string }): boolean => s.name.startsWith('/console/fonts/');
    const code = sizes.filter((s) => !isFont(s));
    const fonts = sizes.filter(isFont);
    const transfer = code.reduce((sum, s) => sum + s.transfer, 0);
    const decoded = code.reduce((sum, s) => sum + s.decoded, 0);
    const fontBytes = fonts.reduce((sum, s) => sum + s.transfer, 0);
    process.stdout.write(
      `web console: ${code.length} files, ${Math.round(transfer / 1024)} KiB transferred, ${Math.round(decoded / 1024)} KiB decoded; ${fonts.length} fonts, ${Math.round(fontBytes / 1024)} KiB\n`,
    );
    expect(code.length).toBeGreaterThan(30);
    expect(transfer).toBeLessThan(300 * 1024);
    expect(decoded).toBeLessThan(450 * 1024);
    expect(fonts.length).toBeGreaterThanOrEqual(1);
    expect(fontBytes).toBeLessThan(140 * 1024);
  });
});
