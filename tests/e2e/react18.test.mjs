// fapi-session/react on React 18 (the adapter claims 18 and 19; the demo app and
// tarball.test.mjs run 19): the packed tarball installed with react@18 / react-dom@18 into a
// fresh Vite app, built in development mode (StrictMode really mounts twice), served with
// the Frontend API by one fapi-mock, in headless Chromium; and rendered on the server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeViteApp, packPackage, run, viteBuild } from './lib/apps.mjs';
import { pageProblems } from './lib/browser.mjs';
import { SEEDED_USERS } from './lib/mock.mjs';
import { startStack } from './lib/stack.mjs';

const REACT_18 = '18.3.1';
const ADA = SEEDED_USERS[1];
const TIMEOUT = 15_000;
// Subscriptions once mounted: App's useSnapshot (1), the panel's useUser and useSession (2).
const LISTENERS = { app: 1, panel: 2 };

// No JSX (so no Vite plugin). StrictMode around the provider; the app records each manager
// it sees and how often its effects mount (twice in development: StrictMode's remount).
const MAIN_JS = `
import { StrictMode, createElement as h, useEffect, useState, version } from 'react';
import { createRoot } from 'react-dom/client';
import { ClientManagerProvider, useClientManager, useSession, useSnapshot, useUser } from 'fapi-session/react';

const seen = (window.fapiApp = { reactVersion: version, managers: [], mounts: 0, manager: null });

function Panel() {
  const user = useUser();
  const session = useSession();
  return h('section', { 'data-testid': 'panel' },
    h('p', { 'data-testid': 'user' }, user ? user.first_name + ' ' + user.last_name : 'nobody'),
    h('p', { 'data-testid': 'session' }, session ? session.status : 'none'));
}

function App() {
  const manager = useClientManager();
  const status = useSnapshot((s) => s.status);
  const [shown, setShown] = useState(true);
  useEffect(() => {
    seen.mounts += 1;
  }, []);
  useEffect(() => {
    if (manager && !seen.managers.includes(manager)) seen.managers.push(manager);
    seen.manager = manager;
  }, [manager]);
  async function signIn(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    await fetch(location.origin + '/v1/client/sign_ins', {
      method: 'POST',
      credentials: 'include',
      body: new URLSearchParams({ strategy: 'password', identifier: form.get('identifier'), password: form.get('password') }),
    });
    await manager.refresh();
  }
  return h('main', null,
    h('p', { 'data-testid': 'status' }, status),
    h('button', { 'data-testid': 'toggle', onClick: () => setShown(!shown) }, 'toggle'),
    shown ? h(Panel) : null,
    h('form', { onSubmit: signIn },
      h('input', { name: 'identifier', defaultValue: '' }),
      h('input', { name: 'password', type: 'password', defaultValue: '' }),
      h('button', { type: 'submit', disabled: !manager }, 'Sign in')));
}

createRoot(document.getElementById('root')).render(
  h(StrictMode, null, h(ClientManagerProvider, { options: { frontendApi: location.origin } }, h(App))),
);
`;

// Server-side rendering with React 18's react-dom/server: the idle snapshot, or the given one.
const SSR_MJS = `
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { ClientManagerProvider, useSnapshot, useUser } from 'fapi-session/react';

function Who() {
  const status = useSnapshot((s) => s.status);
  const user = useUser();
  return h('p', null, status + ':' + (user ? user.first_name : 'nobody'));
}
const options = { frontendApi: 'https://clerk.example.com' };
const given = Object.freeze({ status: 'ready', client: null, session: null, isSignedIn: true, error: null, version: 7,
  cause: 'load', nextRetryAt: null, user: Object.freeze({ id: 'user_1', first_name: 'Ada' }) });
console.log(JSON.stringify({
  idle: renderToString(h(ClientManagerProvider, { options }, h(Who))),
  given: renderToString(h(ClientManagerProvider, { options, serverSnapshot: given }, h(Who))),
}));
`;

let tmp;
let app;
let stack;
let page;

before(
  async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fapi-react18-'));
    const { tarball } = await packPackage(tmp);
    app = await makeViteApp(join(tmp, 'app'), {
      tarball,
      dependencies: { react: REACT_18, 'react-dom': REACT_18 },
      files: { 'src/main.js': MAIN_JS, 'ssr.mjs': SSR_MJS },
    });
    const dist = await viteBuild(app, { development: true });
    stack = await startStack({ sameOrigin: true, copy: { app: dist } });
    page = await stack.browser.newPage();
    await page.goto(`${stack.web.url}/app/`);
  },
  { timeout: 600_000 },
);

after(async () => {
  await page?.close();
  await stack?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Waits until `[data-testid=id]` reads `text`; fails saying what it read. */
async function waitText(id, text) {
  try {
    await page.waitForFunction(
      ([id, text]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === text,
      [id, text],
      { timeout: TIMEOUT },
    );
  } catch (e) {
    const actual = await page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '(absent)', id);
    throw new Error(`[data-testid="${id}"] should read ${JSON.stringify(text)}, reads ${JSON.stringify(actual)}: ${e.message}`);
  }
}

/** Waits until the manager has `n` listeners; fails saying how many it has. */
async function waitListeners(n, why) {
  try {
    await page.waitForFunction((n) => window.fapiApp.manager?.listenerCount === n, n, { timeout: TIMEOUT });
  } catch {
    const actual = await page.evaluate(() => window.fapiApp.manager?.listenerCount);
    assert.fail(`listenerCount should be ${n} (${why}), is ${actual}`);
  }
}

async function requests() {
  return (await stack.web.log()).map((e) => `${e.method} ${e.path}`);
}

test(`the app installs react and react-dom ${REACT_18} and runs it in development mode`, async () => {
  for (const name of ['react', 'react-dom']) {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8'));
    assert.equal(manifest.version, REACT_18, `${name} in the fresh app`);
  }
  await waitText('status', 'ready');
  const seen = await page.evaluate(() => ({ version: window.fapiApp.reactVersion, mounts: window.fapiApp.mounts }));
  assert.equal(seen.version, REACT_18, 'React.version in the page');
  assert.equal(seen.mounts, 2, "StrictMode mounted the app twice (React's development build)");
});

test('StrictMode double mounting creates one manager and sends one GET /v1/client', async () => {
  await waitText('status', 'ready');
  await waitText('user', 'nobody');
  assert.equal(await page.evaluate(() => window.fapiApp.managers.length), 1, 'one manager for both mounts');
  await waitListeners(LISTENERS.app + LISTENERS.panel, 'the app and the panel, once each');
  assert.deepEqual(await requests(), ['GET /v1/client'], 'the provider loaded once');
});

test('sign-in shows the user', async () => {
  await page.locator('input[name="identifier"]').fill(ADA.identifier);
  await page.locator('input[name="password"]').fill(ADA.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitText('user', ADA.name);
  await waitText('session', 'active');
  // Any request a second mount had sent would have arrived before the sign-in's.
  assert.deepEqual(await requests(), ['GET /v1/client', 'POST /v1/client/sign_ins', 'GET /v1/client']);
  assert.equal(await page.evaluate(() => window.fapiApp.managers.length), 1);
});

test('unmounting the panel unsubscribes its hooks; remounting subscribes them again', async () => {
  const all = LISTENERS.app + LISTENERS.panel;
  await waitListeners(all, 'before');
  await page.getByTestId('toggle').click();
  await page.getByTestId('panel').waitFor({ state: 'detached', timeout: TIMEOUT });
  await waitListeners(LISTENERS.app, 'the panel unmounted');
  await page.getByTestId('toggle').click();
  await waitText('user', ADA.name);
  await waitListeners(all, 'the panel mounted again');
  for (let i = 0; i < 5; i += 1) await page.getByTestId('toggle').click();
  await page.getByTestId('panel').waitFor({ state: 'detached', timeout: TIMEOUT });
  await waitListeners(LISTENERS.app, 'after five toggles');
  await page.getByTestId('toggle').click();
  await waitListeners(all, 'back');
  assert.equal((await requests()).length, 3, 'mounting sends nothing');
  assert.deepEqual(pageProblems(page), []);
});

test('React 18 renders the provider on the server (Node, no DOM): idle, or the given snapshot', async () => {
  const out = JSON.parse(await run(process.execPath, ['ssr.mjs'], { cwd: app }));
  assert.deepEqual(out, { idle: '<p>idle:nobody</p>', given: '<p>ready:Ada</p>' });
});
