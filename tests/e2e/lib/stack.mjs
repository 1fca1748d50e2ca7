// The usual fixture in one call: a site served by one fapi-mock (--static), a Frontend
// API on a second one (cross-origin: another port), and headless Chromium.
//
//   import { before, after } from 'node:test';
//   import { startStack } from './lib/stack.mjs';
//   let stack;
//   before(async () => { stack = await startStack(); });
//   after(() => stack?.close());
//   test('...', async () => {
//     const page = await stack.openPage();            // fresh context at the site's /
//     const snap = await page.evaluate(async (api) => {
//       const { createClientManager } = await import('/pkg/index.js');
//       const { signIn } = await import('/helpers.js');
//       ...
//     }, stack.api.url);
//   });
import { launchBrowser } from './browser.mjs';
import { startMock } from './mock.mjs';
import { makeSite } from './site.mjs';

/**
 * @param {{ files?: Record<string,string>, copy?: Record<string,string>,
 *           apiArgs?: string[], webArgs?: string[], sameOrigin?: boolean }} [options]
 *   `files`/`copy`: as makeSite; `apiArgs`: extra fapi-mock arguments for the API (e.g.
 *   `['--dialect', 'seed']`); `sameOrigin`: one mock serves the site and the API.
 * @returns {Promise<{ site, web, api, browser, openPage(path?: string), close() }>}
 */
export async function startStack(options = {}) {
  const cleanups = [];
  const close = async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()();
      } catch {
        // Best effort: the rest still has to go.
      }
    }
  };
  try {
    const site = makeSite(options.files, { copy: options.copy });
    cleanups.push(async () => site.remove());
    const web = await startMock(['--static', site.dir, ...(options.webArgs || []), ...(options.sameOrigin ? options.apiArgs || [] : [])]);
    cleanups.push(() => web.stop());
    let api = web;
    if (!options.sameOrigin) {
      api = await startMock(options.apiArgs || []);
      cleanups.push(() => api.stop());
    }
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    return {
      site,
      web,
      api,
      browser,
      /** A page in a fresh browser context (no cookies), loaded at `web.url + path`. */
      async openPage(path = '/') {
        const page = await browser.newPage();
        await page.goto(web.url + path);
        return page;
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
