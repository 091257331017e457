import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/run when missing); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';

/**
 * A headless chromium for page tests. The flags keep it off the network it cannot reach here (it
 * would otherwise try Google's hosts at every start) and let it run as root.
 */
export const launchBrowser = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does, or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
};

/** Desktop and phone viewports (the pages must work at both). */
export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** A fresh context (its own cookies) and page; console errors and CSP violations collected for the test to assert on. */
export const newPage = async (browser: Browser, viewport: keyof typeof VIEWPORTS = 'desktop'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> => {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 40[0-9]/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
};

/** Signs in through the form, as a person does; resolves once the role's page has loaded. */
export const signInAs = async (page: Page, baseUrl: string, username: string, password: string) => {
  await page.goto(`${baseUrl}/console/sign-in`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
};

/**
 * Whether the page fits its viewport's width (no sideways scrolling), as a phone needs. (A string
 * expression: the test's TypeScript has no DOM types, and the code runs in the page.)
 */
export const fitsWidth = async (page: Page): Promise<boolean> =>
  (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')) === true;
