import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../../src/shared/actor';
import { actors, CASH, recordSeizureCommand } from '../support/custody-fixtures';
import { launchChromium, openPage, screenshotPath, startConsoleServer, type ConsoleServer, type PageTrouble } from '../support/browser';
import { accessibilityProblems, devanagariProblems, horizontalOverflow } from '../support/console-checks';

/**
 * The case commands in Chromium against the real server, at phone and desktop widths: the FIR
 * recorded closed by an officer, the court's proceedings disposed of by the court, Income Tax
 * proceedings closed by an Income Tax officer, a release dispute raised and resolved by the
 * committee. Each is offered only to whoever may give it, only while its case is open; each is
 * performed through its form, and the seizure's cases show what opened and closed them, in IST.
 */
jest.setTimeout(300_000);

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
/** An IST time as the console writes it: 20 Apr 2024, 11:30 am IST. */
const IST_TIME = /\d{1,2} [A-Z][a-z]{2} \d{4}, \d{1,2}:\d{2}\s?[ap]m IST/i;

describe('web console: the cases of a seizure and the commands that close them (browser e2e)', () => {
  let server: ConsoleServer;
  let browser: Browser;
  const troubles: PageTrouble[] = [];

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
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(() => {
    for (const trouble of troubles) expect(trouble.errors).toEqual([]);
  });

  const offered = (page: Page): Promise<Array<string | null>> =>
    page.locator('details[data-action]').evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
  const caseEntry = (page: Page, kind: string) => page.locator(`li.case[data-case="${kind}"]`);

  async function openSeizure(actor: Actor, seizureId: string, memo: string, viewport: { width: number; height: number }): Promise<Page> {
    const session = await openPage(browser, { viewport });
    troubles.push(session.trouble);
    const { page } = session;
    await page.goto(`${server.url}/`);
    await page.getByLabel('Bearer token').fill(server.tokenFor(actor));
    await page.getByRole('button', { name: /Sign in/ }).click();
    await page.getByRole('heading', { level: 1, name: /Seizures/ }).waitFor();
    await page.evaluate((id) => (location.hash = `#/seizures/${id}`), seizureId);
    await page.getByRole('heading', { level: 1, name: new RegExp(memo) }).waitFor();
    await page.getByRole('heading', { name: /Event trail/ }).waitFor();
    return page;
  }

  /**
   * Opens an action's form, fills its fields by the API's names, and sends it; waits for the page to
   * show the outcome. With a name, the filled form is checked (and photographed) before it is sent.
   */
  async function perform(
    page: Page,
    action: string,
    fields: Record<string, string>,
    button: RegExp,
    outcome: RegExp,
    checkedAs?: string,
  ): Promise<void> {
    const details = page.locator(`details[data-action="${action}"]`);
    await details.locator('> summary').click();
    const form = details.locator('form');
    await form.waitFor();
    for (const [name, value] of Object.entries(fields)) {
      const control = form.locator(`[name="${name}"]`);
      const tag = await control.first().evaluate((el) => el.tagName);
      if (tag === 'SELECT') await control.selectOption(value);
      else if ((await control.first().getAttribute('type')) === 'checkbox')
        await form.locator(`[name="${name}"][value="${value}"]`).check();
      else await control.fill(value);
    }
    if (checkedAs !== undefined) await check(page, checkedAs);
    await form.getByRole('button', { name: button }).click();
    await page.locator('#notice').filter({ hasText: outcome }).waitFor();
  }

  async function check(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
    expect({ page: name, problems: await accessibilityProblems(page) }).toEqual({ page: name, problems: [] });
    expect({ page: name, devanagari: await devanagariProblems(page) }).toEqual({ page: name, devanagari: [] });
    const overflow = await horizontalOverflow(page);
    expect({ page: name, ...overflow }).toEqual({ page: name, scrollWidth: overflow.width, width: overflow.width, widest: '' });
  }

  it.each([
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ])(
    'offers each case command only to its authority while its case is open, performs it, and shows the case closed (%s)',
    async (size, viewport) => {
      const seizureId = randomUUID();
      const memo = `FS3/VNS/2024/8${size === 'phone' ? '01' : '02'}`;
      const open = (actor: Actor): Promise<Page> => openSeizure(actor, seizureId, memo, viewport);
      await api(actors.flyingSquad, '/seizures', recordSeizureCommand({ seizureId, memoNumber: memo }).data);

      // No case yet: nothing to close for anyone; the committee may raise a dispute, and nobody else.
      const police = await open(actors.police);
      expect(await police.locator('section.panel', { has: police.getByRole('heading', { name: /^Cases/ }) }).innerText()).toMatch(
        /No case has opened on this seizure/,
      );
      expect(await offered(police)).not.toContain('closeFir');
      const court = await open(actors.court);
      expect(await offered(court)).not.toContain('disposeOfCourtProceedings');
      const incomeTax = await open(actors.incomeTax);
      expect(await offered(incomeTax)).not.toContain('closeIncomeTaxProceedings');
      const committee = await open(actors.committee);
      expect(await offered(committee)).toContain('raiseReleaseDispute');
      expect(await offered(committee)).not.toContain('resolveReleaseDispute');
      for (const page of [police, court, incomeTax, committee]) await page.context().close();

      // An FIR opens the FIR's case and the court's; a referral opens Income Tax's.
      await api(actors.police, `/seizures/${seizureId}/firs`, {
        firNumber: `${size === 'phone' ? 101 : 102}/2024`,
        policeStation: 'Cantt',
        registeredOn: '2024-04-20',
        sections: ['60 Excise Act'],
      });
      await api(actors.flyingSquad, `/seizures/${seizureId}/income-tax-referrals`, {
        referenceNumber: `IT-VNS-${size}`,
        office: 'Income Tax nodal officer, Varanasi',
        remarks: '',
      });

      // The FIR: an officer records it closed; the court's case stays open.
      const officer = await open(actors.police);
      expect(await caseEntry(officer, 'fir').getAttribute('data-state')).toBe('open');
      expect(await caseEntry(officer, 'fir').innerText()).toMatch(new RegExp(`Opened by FIR registered, ${IST_TIME.source}`, 'i'));
      expect(await offered(officer)).toContain('closeFir');
      // Closing Income Tax proceedings is for an Income Tax officer, not the police.
      expect(await offered(officer)).not.toContain('closeIncomeTaxProceedings');
      await perform(
        officer,
        'closeFir',
        { how: 'trial_ended', court: 'CJM Varanasi', reference: 'CJM/VNS/2024/901', remarks: 'acquitted' },
        /Record FIR closed/,
        /recorded as closed/,
        `30-cases-fir-closure-form-${size}`,
      );
      await caseEntry(officer, 'fir').and(officer.locator('[data-state="closed"]')).waitFor();
      expect(await caseEntry(officer, 'fir').innerText()).toMatch(new RegExp(`Closed by FIR closed, ${IST_TIME.source}`, 'i'));
      expect(await caseEntry(officer, 'court').getAttribute('data-state')).toBe('open');
      expect(await offered(officer)).not.toContain('closeFir');
      await check(officer, `31-cases-fir-closed-${size}`);
      await officer.context().close();

      // The court: only the court disposes of its proceedings; the committee is not offered it.
      const committeeBefore = await open(actors.committee);
      expect(await offered(committeeBefore)).not.toContain('disposeOfCourtProceedings');
      await committeeBefore.context().close();
      const courtPage = await open(actors.court);
      expect(await offered(courtPage)).toContain('disposeOfCourtProceedings');
      expect(await offered(courtPage)).not.toContain('closeFir');
      await perform(
        courtPage,
        'disposeOfCourtProceedings',
        { court: 'CJM Varanasi', caseNumber: 'CC 412/2024', remarks: 'property returned' },
        /Record proceedings disposed of/,
        /CC 412\/2024 recorded as disposed of/,
      );
      await caseEntry(courtPage, 'court').and(courtPage.locator('[data-state="closed"]')).waitFor();
      expect(await caseEntry(courtPage, 'court').innerText()).toMatch(/CC 412\/2024[\s\S]*Closed by Court proceedings disposed of/);
      expect(await offered(courtPage)).not.toContain('disposeOfCourtProceedings');
      await courtPage.context().close();

      // Income Tax: the flying squad's officer is not offered the closure; the Income Tax officer is.
      const flyingSquad = await open(actors.flyingSquad);
      expect(await offered(flyingSquad)).not.toContain('closeIncomeTaxProceedings');
      await flyingSquad.context().close();
      const ito = await open(actors.incomeTax);
      expect(await offered(ito)).toContain('closeIncomeTaxProceedings');
      await perform(
        ito,
        'closeIncomeTaxProceedings',
        { orderNumber: 'ITO/W2/2024/77', remarks: 'assessment completed' },
        /Record proceedings closed/,
        /Income Tax proceedings recorded as closed/,
      );
      await caseEntry(ito, 'income_tax').and(ito.locator('[data-state="closed"]')).waitFor();
      expect(await caseEntry(ito, 'income_tax').innerText()).toMatch(
        new RegExp(`IT-VNS-${size}[\\s\\S]*Closed by Income Tax proceedings closed`),
      );
      expect(await offered(ito)).not.toContain('closeIncomeTaxProceedings');
      await ito.context().close();

      // A release dispute: the committee raises it, then resolves it; the court is offered neither.
      const dgc = await open(actors.committee);
      await perform(
        dgc,
        'raiseReleaseDispute',
        { itemIds: CASH, grounds: 'भाई का दावा है कि नकद उसका है' },
        /Record dispute/,
        /Release dispute over item-cash recorded/,
      );
      await caseEntry(dgc, 'release_dispute').waitFor();
      expect(await caseEntry(dgc, 'release_dispute').getAttribute('data-state')).toBe('open');
      expect(await offered(dgc)).toEqual(expect.arrayContaining(['raiseReleaseDispute', 'resolveReleaseDispute']));
      const courtAfter = await open(actors.court);
      expect(await offered(courtAfter)).not.toContain('raiseReleaseDispute');
      expect(await offered(courtAfter)).not.toContain('resolveReleaseDispute');
      await courtAfter.context().close();
      await check(dgc, `32-cases-dispute-open-${size}`);
      await perform(
        dgc,
        'resolveReleaseDispute',
        { outcome: 'dismissed', reference: 'DGC/VNS/2024/40', remarks: 'claim not proved' },
        /Record resolution/,
        /Release dispute resolved: dismissed/,
        `34-cases-resolve-form-${size}`,
      );
      await caseEntry(dgc, 'release_dispute').and(dgc.locator('[data-state="closed"]')).waitFor();
      expect(await caseEntry(dgc, 'release_dispute').innerText()).toMatch(/Closed by Release dispute resolved/);
      expect(await offered(dgc)).not.toContain('resolveReleaseDispute');
      // Every case is closed now, but items are still held: the personal data is still needed.
      const panel = dgc.locator('section.panel', { has: dgc.getByRole('heading', { name: /^Cases/ }) });
      expect(await panel.innerText()).toMatch(new RegExp(`All cases closed since ${IST_TIME.source}`, 'i'));
      expect(await panel.innerText()).toMatch(/Items are still held/);
      await check(dgc, `33-cases-all-closed-${size}`);
      await dgc.context().close();
    },
  );
});
