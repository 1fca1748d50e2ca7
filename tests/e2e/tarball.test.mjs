// The package as users get it: `npm pack` the built pkg/, install the tarball into a fresh
// Vite + React app made in a temporary folder, build it, serve it with fapi-mock, and see it
// sign in in headless Chromium.
//
// Offline-capable: the app uses the exact vite/react/vue versions of the demo apps' lock files, so
// `npm install --prefer-offline` finds them in npm's cache once the demo app was installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockedVersion, makeViteApp, packPackage, run, viteBuild } from './lib/apps.mjs';
import { pageProblems } from './lib/browser.mjs';
import { SEEDED_USERS } from './lib/mock.mjs';
import { startStack } from './lib/stack.mjs';

const ADA = SEEDED_USERS[1];
let tmp;
let packed;
let app;
let stack;

// Server-side rendering in Node (no DOM) with both adapters: the idle snapshot, or the one
// given for hydration; the Vue plugin's manager cannot exist there (kind 'config').
const SSR_MJS = `
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import { createSSRApp, h as vh } from 'vue';
import { renderToString as vueRender } from 'vue/server-renderer';
import { ClientManagerProvider, useSnapshot, useUser } from 'fapi-session/react';
import { fapiSession, useSnapshot as useVueSnapshot, useUser as useVueUser } from 'fapi-session/vue';

function Who() {
  const status = useSnapshot((s) => s.status);
  const user = useUser();
  return h('p', null, status + ':' + (user ? user.first_name : 'nobody'));
}
const given = Object.freeze({ status: 'ready', client: null, session: null, isSignedIn: true, error: null, version: 7, cause: 'load',
  user: Object.freeze({ id: 'user_1', first_name: 'Ada' }) });
const out = {
  reactIdle: renderToString(h(ClientManagerProvider, { options: { frontendApi: 'https://clerk.example.com' } }, h(Who))),
  reactGiven: renderToString(h(ClientManagerProvider, { options: { frontendApi: 'https://clerk.example.com' }, serverSnapshot: given }, h(Who))),
};
const app = createSSRApp({
  setup() {
    const snapshot = useVueSnapshot();
    const user = useVueUser();
    return () => vh('p', snapshot.value.status + ':' + (user.value ? user.value.first_name : 'nobody'));
  },
});
app.use(fapiSession, { frontendApi: 'https://clerk.example.com' });
out.vue = await vueRender(app);
console.log(JSON.stringify(out));
`;

// A user's app: no JSX (so no Vite plugin), the package's root and React entry points.
const MAIN_JS = `
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { FapiError } from 'fapi-session';
import { ClientManagerProvider, useClientManager, useSnapshot, useUser } from 'fapi-session/react';

function App() {
  const manager = useClientManager();
  const status = useSnapshot((s) => s.status);
  const user = useUser();
  const [problem, setProblem] = useState('');
  async function signIn(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const res = await fetch(location.origin + '/v1/client/sign_ins', {
      method: 'POST',
      credentials: 'include',
      body: new URLSearchParams({ strategy: 'password', identifier: form.get('identifier'), password: form.get('password') }),
    });
    if (!res.ok) return setProblem('sign-in failed: ' + res.status);
    await manager.refresh().catch((e) => setProblem(String(e instanceof FapiError ? e.kind : e)));
  }
  return h('main', null,
    h('p', { 'data-testid': 'status' }, status),
    h('p', { 'data-testid': 'user' }, user ? user.first_name + ' ' + user.last_name : 'nobody'),
    h('p', { 'data-testid': 'problem' }, problem),
    h('form', { onSubmit: signIn },
      h('input', { name: 'identifier', defaultValue: '' }),
      h('input', { name: 'password', type: 'password', defaultValue: '' }),
      h('button', { type: 'submit', disabled: !manager }, 'Sign in')));
}

createRoot(document.getElementById('root')).render(
  h(ClientManagerProvider, { options: { frontendApi: location.origin } }, h(App)),
);
`;

before(
  async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fapi-tarball-'));
    packed = await packPackage(tmp);
    app = await makeViteApp(join(tmp, 'app'), {
      tarball: packed.tarball,
      dependencies: {
        react: lockedVersion('react'),
        'react-dom': lockedVersion('react-dom'),
        vue: lockedVersion('vue', 'vue'),
      },
      files: { 'src/main.js': MAIN_JS, 'ssr.mjs': SSR_MJS },
    });
    stack = await startStack({ sameOrigin: true, copy: { app: await viteBuild(app) } });
  },
  { timeout: 600_000 },
);

after(async () => {
  await stack?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('the tarball holds the entry points, their types and the wasm, and nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const f of [
    'package.json',
    'index.js',
    'react.js',
    'react.d.ts',
    'vue.js',
    'vue.d.ts',
    'fapi_error.js',
    'fapi_session.js',
    'fapi_session_bg.wasm',
  ]) {
    assert.ok(files.includes(f), `${f} is in the tarball (${files.join(', ')})`);
  }
  assert.ok(files.some((f) => f.startsWith('snippets/')), 'the snippets are in the tarball');
  assert.deepEqual(
    files.filter((f) => /node_modules|\.gitignore|^src\//.test(f)),
    [],
    'no stray files',
  );
});

test('the tarball installs as a real package with ./react and ./vue exports', () => {
  const installed = join(app, 'node_modules', 'fapi-session');
  assert.ok(lstatSync(installed).isDirectory() && !lstatSync(installed).isSymbolicLink());
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'fapi-session');
  assert.equal(manifest.type, 'module');
  assert.deepEqual(Object.keys(manifest.exports).filter((k) => k === './react' || k === './vue'), [
    './react',
    './vue',
  ]);
  assert.equal(manifest.exports['./react'].types, './react.d.ts');
});

test('both adapters render on the server (Node, no DOM): idle, or the given snapshot', async () => {
  const out = JSON.parse(await run(process.execPath, ['ssr.mjs'], { cwd: app }));
  assert.equal(out.reactIdle, '<p>idle:nobody</p>');
  assert.equal(out.reactGiven, '<p>ready:Ada</p>');
  assert.match(out.vue, /^<p>idle:nobody<\/p>$/);
});

test('a fresh Vite app built on the tarball loads the wasm, signs in and shows the user', async () => {
  const page = await stack.browser.newPage();
  await page.goto(`${stack.web.url}/app/`);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="status"]')?.textContent === 'ready',
    null,
    { timeout: 15_000 },
  );
  assert.equal(await page.getByTestId('user').textContent(), 'nobody');
  await page.locator('input[name="identifier"]').fill(ADA.identifier);
  await page.locator('input[name="password"]').fill(ADA.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(
    (name) => document.querySelector('[data-testid="user"]')?.textContent === name,
    ADA.name,
    { timeout: 15_000 },
  );
  assert.equal(await page.getByTestId('problem').textContent(), '');
  const requests = (await stack.web.log()).map((e) => `${e.method} ${e.path}`);
  assert.deepEqual(requests, ['GET /v1/client', 'POST /v1/client/sign_ins', 'GET /v1/client']);
  assert.deepEqual(pageProblems(page), []);
  await page.close();
});
