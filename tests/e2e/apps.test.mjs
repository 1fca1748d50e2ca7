// The demo apps (www/react, www/vue) built with Vite on the built package, served with the
// Frontend API by one fapi-mock (same origin), in headless Chromium.
//
// Three builds: React (production), React (development: StrictMode really mounts twice)
// and Vue. Each page gets a fresh browser context (no cookies) and a reset mock.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './lib/apps.mjs';
import { pageProblems, pageRecord } from './lib/browser.mjs';
import { SEEDED_USERS } from './lib/mock.mjs';
import { startStack } from './lib/stack.mjs';

const [BOSS, ADA] = SEEDED_USERS;
const TIMEOUT = 15_000;

// Listeners each app subscribes once mounted (the figures come from the apps' code):
// React: Status 3 hooks + SessionPanel 4 + Accounts 2 + TokenPanel 1 + EventLog 1; Vue:
// App 1 + SessionPanel 3 + Accounts 2 + TokenPanel 1 + EventLog 1. `panel`: those of the
// session panel, which the toggle unmounts.
const APPS = [
  { name: 'react', path: '/react/', listeners: 11, panel: 4 },
  { name: 'react-dev', path: '/react-dev/', listeners: 11, panel: 4, strict: true },
  { name: 'vue', path: '/vue/', listeners: 8, panel: 3 },
];

let stack;
let tmp;

before(
  async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fapi-apps-'));
    // Built into a temporary folder: www/*/dist stays make demo's, and runs don't collide.
    const [react, reactDev, vue] = await Promise.all([
      buildApp('react', { outDir: join(tmp, 'react') }),
      buildApp('react', { development: true, outDir: join(tmp, 'react-dev') }),
      buildApp('vue', { outDir: join(tmp, 'vue') }),
    ]);
    stack = await startStack({
      sameOrigin: true,
      copy: { react, 'react-dev': reactDev, vue },
    });
  },
  { timeout: 600_000 },
);

after(async () => {
  await stack?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Waits until the element `data-testid=id` reads exactly `text`; fails saying what it read. */
async function waitText(page, id, text, timeout = TIMEOUT) {
  try {
    await page.waitForFunction(
      ([id, text]) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        return el !== null && el.textContent.trim() === text;
      },
      [id, text],
      { timeout },
    );
  } catch (e) {
    const actual = await page
      .locator(`[data-testid="${id}"]`)
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => '(absent)');
    throw new Error(`[data-testid="${id}"] should read ${JSON.stringify(text)}, reads ${JSON.stringify(actual)}: ${e.message}`);
  }
}

const textOf = (page, id) => page.getByTestId(id).textContent({ timeout: TIMEOUT });
const numberOf = async (page, id) => Number(await textOf(page, id));
const listeners = (page) => page.evaluate(() => window.fapiDemo.manager.listenerCount);

/** How many `GET /v1/client` the mock saw since its last reset. */
async function clientGets() {
  const log = await stack.web.log();
  return log.filter((e) => e.method === 'GET' && e.path === '/v1/client').length;
}

/** Lets pending renders and effects run (two animation frames and a task). */
function settle(page) {
  return page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r)))),
  );
}

/** Opens the app in a fresh context after a mock reset; waits until it has loaded. */
async function open(app) {
  await stack.web.reset();
  const page = await stack.browser.newPage();
  await page.goto(stack.web.url + app.path);
  await waitText(page, 'status', 'ready');
  return page;
}

async function signIn(page, user = ADA) {
  await page.locator('input[name="identifier"]').fill(user.identifier);
  await page.locator('input[name="password"]').fill(user.password);
  await page.getByTestId('sign-in').click();
  await waitText(page, 'user-name', user.name);
  await waitText(page, 'signed-in', 'signed in');
}

/** Clicks an action button and waits until the app says the action finished. */
async function act(page, id) {
  const before = await numberOf(page, 'actions-done');
  await page.getByTestId(id).click();
  await waitText(page, 'actions-done', String(before + 1));
}

for (const app of APPS) {
  describe(`${app.name} app`, () => {
    test('first load shows signed out, with one GET /v1/client and a clean console', async () => {
      const page = await open(app);
      await waitText(page, 'signed-in', 'signed out');
      assert.equal(await page.getByTestId('no-session').count(), 1);
      assert.equal(await textOf(page, 'client-id'), 'none');
      assert.equal(await clientGets(), 1);
      const log = await page.getByTestId('event-log').locator('li').allTextContents();
      assert.match(log[0] || '', /load\s+ready, signed out/, `event log: ${log}`);
      assert.deepEqual(pageProblems(page), []);
      await page.close();
    });

    test('sign in shows the user; a reload keeps the session (cookie)', async () => {
      const page = await open(app);
      await signIn(page, ADA);
      assert.equal(await textOf(page, 'user-email'), ADA.identifier);
      assert.equal(await textOf(page, 'session-status'), 'active');
      if (app.name.startsWith('react')) assert.equal(await textOf(page, 'first-name'), 'Ada');
      const sessionId = await textOf(page, 'session-id');
      const top = await page.getByTestId('event-log').locator('li').first().textContent();
      assert.match(top, /sign-in: signIn\s+ready, signed in as Ada Lovelace/);
      assert.match(top, /^\d\d:\d\d:\d\d\.\d\d\d /);

      await page.reload();
      await waitText(page, 'status', 'ready');
      await waitText(page, 'user-name', ADA.name);
      assert.equal(await textOf(page, 'session-id'), sessionId);
      assert.deepEqual(pageProblems(page), []);
      await page.close();
    });

    test('two accounts: the switcher, the token of the active one, signing out one and all', async () => {
      const page = await open(app);
      await signIn(page, BOSS);
      await signIn(page, ADA);
      const names = () => page.getByTestId('account-name').allTextContents();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="account"]').length === 2);
      assert.deepEqual((await names()).sort(), [ADA.name, BOSS.name]);
      const adaSession = await textOf(page, 'session-id');
      // The token panel shows the active session's claims.
      await page.getByTestId('get-token').click();
      await waitText(page, 'token-sid', adaSession);
      assert.match(await textOf(page, 'token-expiry'), /^\d+ s$/);
      // Switch to Boss: the panel follows, the old claims are dropped.
      await page.getByTestId('switch').click();
      await waitText(page, 'user-name', BOSS.name);
      assert.equal(await page.getByTestId('token-sid').count(), 0, 'claims of the old session are gone');
      const bossSession = await textOf(page, 'session-id');
      await page.getByTestId('get-token').click();
      await waitText(page, 'token-sid', bossSession);
      // Sign out of Boss only: Ada stays.
      const bossRow = page.getByTestId('account').filter({ hasText: BOSS.name });
      await bossRow.getByTestId('sign-out-one').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="account"]').length === 1);
      assert.deepEqual(await names(), [ADA.name]);
      // Sign out of all.
      await page.getByTestId('sign-out-all').click();
      await waitText(page, 'signed-in', 'signed out');
      assert.equal(await page.getByTestId('accounts').count(), 0);
      assert.notEqual(await textOf(page, 'client-id'), 'none', 'the client stays');
      assert.deepEqual(pageProblems(page), []);
      await page.close();
    });

    test('server-side revocation, then refresh, shows signed out', async () => {
      const page = await open(app);
      await signIn(page, BOSS);
      const sessionId = await textOf(page, 'session-id');
      await stack.web.control(`/sessions/${sessionId}`, { status: 'revoked' });
      await act(page, 'refresh');
      await waitText(page, 'signed-in', 'signed out');
      assert.equal(await page.getByTestId('no-session').count(), 1);
      assert.notEqual(await textOf(page, 'client-id'), 'none', 'the client stays');
      const top = await page.getByTestId('event-log').locator('li').first().textContent();
      assert.match(top, /refresh\s+ready, signed out/);
      assert.deepEqual(pageProblems(page), []);
      await page.close();
    });

    test('destroy signs out and forgets the client, also after a reload', async () => {
      const page = await open(app);
      await signIn(page, ADA);
      await act(page, 'destroy');
      await waitText(page, 'signed-in', 'signed out');
      assert.equal(await textOf(page, 'client-id'), 'none');
      const top = await page.getByTestId('event-log').locator('li').first().textContent();
      assert.match(top, /destroy\s+ready, signed out/);
      await page.reload();
      await waitText(page, 'status', 'ready');
      await waitText(page, 'signed-in', 'signed out');
      assert.equal(await textOf(page, 'client-id'), 'none');
      assert.deepEqual(pageProblems(page), []);
      await page.close();
    });

    test('an identical refresh causes no re-render; a real change does', async () => {
      const page = await open(app);
      await signIn(page, ADA);
      await settle(page);
      const renders = await numberOf(page, 'renders');
      const version = await textOf(page, 'version');
      const events = await page.getByTestId('event-log').locator('li').count();
      const gets = await clientGets();

      await act(page, 'refresh');
      await act(page, 'refresh');
      await settle(page);
      assert.equal(await clientGets(), gets + 2, 'both refreshes reached the API');
      assert.equal(await numberOf(page, 'renders'), renders, 'no re-render of the session panel');
      assert.equal(await textOf(page, 'version'), version);
      assert.equal(await page.getByTestId('event-log').locator('li').count(), events, 'no event');

      // The counter does count: a second session (Boss) is a change.
      await signIn(page, BOSS);
      await settle(page);
      assert.ok((await numberOf(page, 'renders')) > renders, 'the change re-rendered the panel');
      assert.deepEqual(pageProblems(page), []);
      await page.close();
    });

    test('two tabs: a sign-in and a sign-out in one show in the other at once', async () => {
      const first = await open(app);
      // A second tab of the same browser profile: same cookies, same BroadcastChannel.
      const second = await first.context().newPage();
      await second.goto(stack.web.url + app.path);
      await waitText(second, 'status', 'ready');
      await waitText(second, 'signed-in', 'signed out');

      await signIn(first, ADA);
      // No focus, no reload: the first tab's announcement made the second ask the server.
      await waitText(second, 'user-name', ADA.name);
      await waitText(second, 'signed-in', 'signed in');
      const heard = await second.getByTestId('event-log').locator('li').first().textContent();
      assert.match(heard, /broadcast\s+ready, signed in as Ada Lovelace/);

      await act(first, 'destroy');
      await waitText(second, 'signed-in', 'signed out');
      await waitText(second, 'client-id', 'none');
      // (That no tab echoes an announcement is shown in tests/web_crosstab.rs.)
      await settle(first);
      const own = await first.getByTestId('event-log').locator('li').first().textContent();
      assert.match(own, /destroy\s+ready, signed out/);
      assert.deepEqual(pageProblems(first), []);
      assert.deepEqual(pageProblems(second), []);
      await second.close();
      await first.close();
    });

    test(`${app.strict ? 'StrictMode double mounting and ' : ''}remounting: no duplicate request, no leaked listener`, async () => {
      const page = await open(app);
      if (app.strict) {
        // A development build: React logs its DevTools hint only there, and StrictMode
        // mounts every component twice.
        const infos = pageRecord(page).console.map((m) => m.text).join('\n');
        assert.match(infos, /React DevTools/, 'the react-dev app runs React in development mode');
      }
      await settle(page);
      assert.equal(await clientGets(), 1, 'one GET /v1/client for the first load');
      assert.equal(await listeners(page), app.listeners);

      await page.getByTestId('toggle').click();
      await page.getByTestId('session-panel').waitFor({ state: 'detached', timeout: TIMEOUT });
      assert.equal(await listeners(page), app.listeners - app.panel, 'the unmounted panel unsubscribed');
      await page.getByTestId('toggle').click();
      await page.getByTestId('session-panel').waitFor({ timeout: TIMEOUT });
      assert.equal(await listeners(page), app.listeners);

      for (let i = 0; i < 5; i += 1) await page.getByTestId('remount').click();
      await settle(page);
      assert.equal(await listeners(page), app.listeners, 'remounts leave no listener behind');

      await signIn(page, ADA);
      await settle(page);
      assert.equal(await listeners(page), app.listeners);
      // The load only (the sign-in's answer is applied, not re-asked): nothing doubled by
      // mounting.
      assert.equal(await clientGets(), 1);
      assert.deepEqual(pageProblems(page), []);
      await page.close();
    });
  });
}
