// Headless system Chromium through playwright-core (no downloaded browsers here).
//
//   import { launchBrowser } from './lib/browser.mjs';
//   const browser = await launchBrowser();          // one Chromium for a test file
//   const page = await browser.newPage();           // a fresh context: own cookies/storage
//   ...
//   await browser.close();                          // idempotent; also runs at process exit
//
// Every page made by `newPage()` records console messages and uncaught errors (see
// `watchPage`), so a test can assert a clean console with `pageProblems(page)`.
// If the test process dies, Playwright's own exit handler kills the browser.
import { chromium } from 'playwright-core';

/** Chromium's path: CHROMIUM_PATH overrides the Debian package's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The flags every launch uses (root needs --no-sandbox; no background traffic). */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);

/**
 * Launches headless Chromium. Playwright gives each launch a fresh temporary profile
 * (`--user-data-dir`), removed on close. Returns a handle:
 * - `browser`: the Playwright `Browser`;
 * - `newContext(options)`: a fresh `BrowserContext` (own cookies and storage);
 * - `newPage(options)`: a page in a fresh context, watched (`watchPage`); closing the page
 *   closes its context;
 * - `close()`: closes everything; idempotent, bounded by a timeout.
 *
 * @param {{ args?: string[], timeoutMs?: number }} [options] extra Chromium flags
 */
export async function launchBrowser(options = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args || [])],
    timeout: options.timeoutMs ?? 60_000,
  });
  let closed = false;
  const handle = {
    browser,
    async newContext(contextOptions = {}) {
      return browser.newContext(contextOptions);
    },
    async newPage(contextOptions = {}) {
      const context = await browser.newContext(contextOptions);
      const page = await context.newPage();
      watchPage(page);
      page.once('close', () => context.close().catch(() => {}));
      return page;
    },
    async close() {
      if (closed) return;
      closed = true;
      let timer;
      await Promise.race([
        browser.close().catch(() => {}),
        new Promise((resolve) => {
          timer = setTimeout(resolve, 15_000);
        }),
      ]);
      clearTimeout(timer);
    },
  };
  return handle;
}

const watched = new WeakMap();

/** Records a page's console messages and uncaught errors from now on (idempotent). */
export function watchPage(page) {
  if (!watched.has(page)) {
    const record = { console: [], errors: [] };
    watched.set(page, record);
    page.on('console', (m) => record.console.push({ type: m.type(), text: m.text() }));
    page.on('pageerror', (e) => record.errors.push(e));
  }
  return page;
}

/** What a watched page logged: `{console: [{type, text}], errors: [Error]}`. */
export function pageRecord(page) {
  return watched.get(page) || { console: [], errors: [] };
}

/** Console errors and uncaught exceptions of a watched page, as text (for assertions:
 * `assert.deepEqual(pageProblems(page), [])`). */
export function pageProblems(page) {
  const { console: messages, errors } = pageRecord(page);
  return [
    ...errors.map((e) => `pageerror: ${e.message}`),
    ...messages.filter((m) => m.type === 'error').map((m) => `console.error: ${m.text}`),
  ];
}
