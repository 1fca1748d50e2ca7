// The package in a webpack 5 app (the README claims Vite and webpack 5 without plugins; the
// other fresh-app tests use Vite): `npm pack` the built pkg/, install the tarball with
// webpack and webpack-cli into a fresh app in a temporary folder, build it with a plain
// webpack.config.js (lib/apps.mjs `webpackConfig`: mode, entry, output.path; no loaders,
// plugins or experiments), serve dist/ and the Frontend API from one fapi-mock, and see a
// plain-JS page sign in in headless Chromium.
//
// What webpack needed: nothing. It treats `new URL('fapi_session_bg.wasm', import.meta.url)`
// in the wasm-bindgen glue as an asset module by default (emitted as dist/[hash].wasm, the
// URL rewritten to `publicPath + name`), and publicPath defaults to 'auto'.
//
// The first run fetches webpack and webpack-cli (WEBPACK_VERSIONS) unless npm's cache has
// them; `npm install --prefer-offline` then finds them there.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockedVersion, makeWebpackApp, packPackage, webpackBuild, WEBPACK_VERSIONS } from './lib/apps.mjs';
import { pageProblems } from './lib/browser.mjs';
import { SEEDED_USERS } from './lib/mock.mjs';
import { PKG } from './lib/paths.mjs';
import { startStack } from './lib/stack.mjs';

const ADA = SEEDED_USERS[1];
const TIMEOUT = 15_000;

// A user's plain-JS page: the package's root only, rendering from subscribe().
const INDEX_JS = `
import { createClientManager, FapiError } from 'fapi-session';

const $ = (id) => document.querySelector('[data-testid="' + id + '"]');

function render(snapshot) {
  $('status').textContent = snapshot.status;
  $('user').textContent = snapshot.user ? snapshot.user.first_name : 'nobody';
}

async function main() {
  const manager = await createClientManager({ frontendApi: location.origin });
  manager.subscribe(render);
  render(manager.getSnapshot());
  await manager.load();
  const form = document.querySelector('form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const res = await fetch(location.origin + '/v1/client/sign_ins', {
      method: 'POST',
      credentials: 'include',
      body: new URLSearchParams({ strategy: 'password', identifier: data.get('identifier'), password: data.get('password') }),
    });
    if (!res.ok) throw new Error('sign-in failed: ' + res.status);
    await manager.refresh();
  });
  form.querySelector('button').disabled = false;
}

main().catch((e) => {
  $('problem').textContent = e instanceof FapiError ? 'FapiError ' + e.kind + ': ' + e.message : String(e);
  throw e;
});
`;

// No HTML plugin: the page is written into dist/ by hand (builds leave it there).
const INDEX_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">' +
  '<title>fresh webpack app</title><script defer src="main.js"></script></head><body>' +
  '<p data-testid="status">loading</p><p data-testid="user"></p><p data-testid="problem"></p>' +
  '<form><input name="identifier"><input name="password" type="password">' +
  '<button type="submit" disabled>Sign in</button></form></body></html>\n';

// Tree shaking: the adapters imported and left unused (`shaken`), and used (`used`, the
// control showing that the markers below are found when the code is there).
const SHAKEN_JS = `
import { createClientManager } from 'fapi-session';
import { useUser } from 'fapi-session/react';
import { fapiSession } from 'fapi-session/vue';
globalThis.fapiShaken = createClientManager;
`;
const USED_JS = `
import { createClientManager } from 'fapi-session';
import { useUser } from 'fapi-session/react';
import { fapiSession } from 'fapi-session/vue';
globalThis.fapiUsed = [createClientManager, useUser, fapiSession];
`;
/** Strings that survive minification: the React adapter's context name, React 19's element
 * symbol, Vue's ref flag, and the wasm-bindgen glue's wasm file name. */
const MARKERS = {
  reactAdapter: 'FapiSessionContext',
  react: 'react.transitional.element',
  vue: '__v_isRef',
  core: 'fapi_session_bg',
};

let tmp;
let app;
let stats;
let stack;
let page;
/** Every response the page got: `{url, status, type}`. */
const responses = [];

before(
  async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fapi-webpack-'));
    const { tarball } = await packPackage(tmp);
    app = await makeWebpackApp(join(tmp, 'app'), {
      tarball,
      // Only for the shaken/used bundles: the adapters' peers must resolve.
      dependencies: { react: lockedVersion('react'), vue: lockedVersion('vue', 'vue') },
      entry: { main: './src/index.js', shaken: './src/shaken.js', used: './src/used.js' },
      files: {
        'src/index.js': INDEX_JS,
        'src/shaken.js': SHAKEN_JS,
        'src/used.js': USED_JS,
        'dist/index.html': INDEX_HTML,
      },
    });
    stats = await webpackBuild(app);
    stack = await startStack({ sameOrigin: true, copy: { app: join(app, 'dist') } });
    page = await stack.browser.newPage();
    page.on('response', (r) => responses.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] }));
    await page.goto(`${stack.web.url}/app/`);
  },
  { timeout: 600_000 },
);

after(async () => {
  await page?.close();
  await stack?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** What the page shows: `{status, user, problem}`. */
function shown() {
  return page.evaluate(() =>
    Object.fromEntries(
      ['status', 'user', 'problem'].map((id) => [id, document.querySelector(`[data-testid="${id}"]`)?.textContent]),
    ),
  );
}

/** Waits until the page shows `want` (all of status, user and problem); fails with what it
 * shows and its console problems. */
async function waitShown(want) {
  await page
    .waitForFunction(
      (want) => Object.entries(want).every(([id, text]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === text),
      want,
      { timeout: TIMEOUT },
    )
    .catch(async (e) => {
      assert.deepEqual({ ...(await shown()), console: pageProblems(page) }, { ...want, console: [] }, e.message);
    });
}

/** The emitted .wasm assets of the build. */
function wasmAssets() {
  return stats.assets.map((a) => a.name).filter((n) => n.endsWith('.wasm'));
}

test(`webpack ${WEBPACK_VERSIONS.webpack} builds the app with its defaults, without warnings, and emits the wasm`, () => {
  const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'webpack', 'package.json'), 'utf8'));
  assert.equal(installed.version, WEBPACK_VERSIONS.webpack);
  assert.deepEqual(stats.errors, []);
  assert.deepEqual(stats.warnings, []);
  const config = readFileSync(join(app, 'webpack.config.js'), 'utf8');
  assert.doesNotMatch(config, /module:|plugins|experiments|loader/, 'a plain config');
  const wasm = wasmAssets();
  assert.equal(wasm.length, 1, `one .wasm asset (${stats.assets.map((a) => a.name).join(', ')})`);
  assert.match(wasm[0], /^[0-9a-f]{16,}\.wasm$/, 'a content-hashed asset module name');
  assert.ok(
    readFileSync(join(app, 'dist', wasm[0])).equals(readFileSync(join(PKG, 'fapi_session_bg.wasm'))),
    'the emitted wasm is the package’s, byte for byte',
  );
  assert.ok(readFileSync(join(app, 'dist', 'main.js'), 'utf8').includes(wasm[0]), 'main.js refers to it');
});

test('the page loads the wasm from the build output, signs in and shows the user', async () => {
  await waitShown({ status: 'ready', user: 'nobody', problem: '' });
  await page.locator('button[type="submit"]:not([disabled])').waitFor({ timeout: TIMEOUT });
  await page.locator('input[name="identifier"]').fill(ADA.identifier);
  await page.locator('input[name="password"]').fill(ADA.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitShown({ status: 'ready', user: ADA.name.split(' ')[0], problem: '' });

  const requests = (await stack.web.log()).map((e) => `${e.method} ${e.path}`);
  assert.deepEqual(requests, ['GET /v1/client', 'POST /v1/client/sign_ins', 'GET /v1/client']);

  const [name] = wasmAssets();
  const wasm = responses.filter((r) => /\.wasm(\?|$)/.test(r.url));
  assert.deepEqual(
    wasm,
    [{ url: `${stack.web.url}/app/${name}`, status: 200, type: 'application/wasm' }],
    'the wasm came once, from dist/ (not pkg/), as application/wasm',
  );
  const elsewhere = responses.filter((r) => !r.url.startsWith(`${stack.web.url}/app/`) && !r.url.startsWith(`${stack.web.url}/v1/`));
  assert.deepEqual(elsewhere, [], 'nothing loaded from outside the app and the API');
  assert.deepEqual(pageProblems(page), []);
});

test('unused imports of fapi-session/react and fapi-session/vue are tree-shaken away', () => {
  const read = (name) => readFileSync(join(app, 'dist', `${name}.js`), 'utf8');
  const has = (text) => Object.fromEntries(Object.entries(MARKERS).map(([k, m]) => [k, text.includes(m)]));
  const all = { reactAdapter: true, react: true, vue: true, core: true };
  assert.deepEqual(has(read('used')), all, 'the markers are found when the adapters are used');
  assert.deepEqual(has(read('shaken')), { ...all, reactAdapter: false, react: false, vue: false }, 'unused adapters');
  assert.deepEqual(has(read('main')), { ...all, reactAdapter: false, react: false, vue: false }, 'the page');
});
