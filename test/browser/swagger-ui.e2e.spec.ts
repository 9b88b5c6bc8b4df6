import type { Browser } from 'playwright-core';
import { launchChromium, openPage, startConsoleServer, type ConsoleServer } from '../support/browser';

/** Swagger UI under its Content-Security-Policy in Chromium: the policy must not stop its own scripts and styles. */
jest.setTimeout(120_000);

describe('Swagger UI under its CSP (browser)', () => {
  let server: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startConsoleServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders the API from its own files, with no policy violation or script error', async () => {
    const { context, page, trouble } = await openPage(browser);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    try {
      const response = await page.goto(`${server.url}/docs`);
      expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await page.locator('.swagger-ui .info .title').filter({ hasText: 'Seizure Custody Ledger' }).waitFor({ timeout: 30_000 });
      // The operations list is rendered by the bundle from the document: the scripts ran.
      await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
      // Styles applied: swagger's stylesheet lays the operation blocks out as bordered boxes.
      const border = await page
        .locator('.opblock')
        .first()
        .evaluate((el) => getComputedStyle(el).borderTopStyle);
      expect(border).toBe('solid');
      expect(violations).toEqual([]);
      expect(trouble.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
