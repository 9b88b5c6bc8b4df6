import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { TEST_JWT_SECRET, testToken } from '../../src/auth/auth.test-support';
import { createApp } from '../../src/bootstrap';
import { FROM_SOURCES_APP_OPTIONS } from './projector-worker';
import { loadConfig } from '../../src/config/app-config';
import type { Actor } from '../../src/shared/actor';
import { bundledChromium } from './bundled-chromium';

/**
 * Helpers for the web console's browser tests: the real server listening on a free port (real
 * clock, real SQLite store in a temp dir, configured exactly as `node dist/main.js` would be) and
 * the Chromium of the npm package @sparticuz/chromium, driven by playwright-core.
 */

/** Where the browser tests leave their screenshots, for people to look at. */
export const SCREENSHOT_DIR = resolve(__dirname, '../../test-output/screenshots');

/**
 * The Chromium of @sparticuz/chromium (test/support/bundled-chromium.ts), or $CHROMIUM_PATH where that
 * Linux x64 build cannot run. The package's recommended args are not used: --single-process breaks
 * new browser contexts, and the tests need no WebGL or relaxed web security.
 */
export function launchChromium(): Promise<Browser> {
  const bundled = process.env.CHROMIUM_PATH ? undefined : bundledChromium();
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? bundled!.executablePath,
    env: { ...process.env, ...bundled?.env },
    headless: true,
    // No sandbox: it needs a setuid helper the package does not ship (and CI runs as root).
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--font-render-hinting=none'],
  });
}

export interface ConsoleServer {
  app: NestExpressApplication;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  tokenFor(actor: Actor): string;
  close(): Promise<void>;
}

/** The production application on 127.0.0.1 and a port the kernel picks; tree heads are signed every second. */
export async function startConsoleServer(env: NodeJS.ProcessEnv = {}): Promise<ConsoleServer> {
  const root = mkdtempSync(join(tmpdir(), 'ledger-console-'));
  const config = loadConfig(
    {
      LEDGER_DATA_DIR: join(root, 'data'),
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'error',
      TREE_HEAD_INTERVAL_SECONDS: '1',
      HOST: '127.0.0.1',
      ...env,
    },
    root,
  );
  const app = await createApp(config, FROM_SOURCES_APP_OPTIONS);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    tokenFor: (actor) => testToken({ ...actor, ttlSeconds: 3600 }),
    close: async () => {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** What went wrong in a page: uncaught errors and console errors other than failed requests (tests assert those themselves). */
export interface PageTrouble {
  errors: string[];
}

/** A fresh browser context (its own sessionStorage and cache) with one page, recording the page's troubles. */
export async function openPage(
  browser: Browser,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page; trouble: PageTrouble }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    acceptDownloads: true,
    locale: 'en-IN',
    timezoneId: 'Asia/Kolkata',
  });
  const page = await context.newPage();
  const trouble: PageTrouble = { errors: [] };
  page.on('pageerror', (error) => trouble.errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // A 4xx a test provokes is logged by Chromium as a failed resource; the test checks the answer itself.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    trouble.errors.push(`console: ${text}`);
  });
  return { context, page, trouble };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name}.png`);
}
