// The offline pause with the real thing: Playwright's `context.setOffline()` (Chromium's
// network emulation: navigator.onLine, the offline/online events, and fetches that fail),
// where the browser suites only override `navigator.onLine`.
//
// While offline, the page's own fetches fail too, the mock's control plane included: the
// mock's log is read from Node (stack.api.log()), and what the browser tried to send is
// watched through Playwright's request events (a retry attempted offline never reaches the
// mock, so its log alone could not tell).
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { pageProblems } from './lib/browser.mjs';
import { SEEDED_USERS } from './lib/mock.mjs';
import { startStack } from './lib/stack.mjs';

const ADA = SEEDED_USERS[1];

const TIMEOUT = 15_000;
// Only `online` revalidates, so no focus or visibility event of the headless page can use
// up the throttle window or add a GET of its own.
const OPTIONS = {
  retryBaseMs: 50,
  revalidateOnFocus: false,
  revalidateOnVisible: false,
  revalidateOnPageShow: false,
};

let stack;
let page;
let sent; // GET /v1/client the browser tried to send: { request, done, failure (null: none) }

before(async () => {
  stack = await startStack();
});
after(async () => {
  await page?.close();
  await stack?.close();
});
beforeEach(async () => {
  await stack.api.reset();
  page = await stack.openPage();
  sent = [];
  const isClientGet = (r) => r.method() === 'GET' && new URL(r.url()).pathname === '/v1/client' && r.url().startsWith(stack.api.url);
  page.on('request', (r) => {
    if (isClientGet(r)) sent.push({ request: r, failure: undefined, done: false });
  });
  const settle = (r, failure) => {
    const entry = sent.find((e) => e.request === r);
    if (entry) Object.assign(entry, { failure, done: true });
  };
  page.on('requestfinished', (r) => settle(r, null));
  page.on('requestfailed', (r) => settle(r, r.failure()?.errorText ?? 'failed'));
});
afterEach(async () => {
  await page?.context().setOffline(false);
  await page?.close();
  page = undefined;
});

/** GET /v1/client answers the mock logged since its reset. */
async function mockGets() {
  return (await stack.api.log()).filter((e) => e.method === 'GET' && e.path === '/v1/client');
}

/** Waits until the browser has no GET /v1/client in flight (every one finished or failed). */
async function browserIdle() {
  const deadline = Date.now() + TIMEOUT;
  while (sent.some((e) => !e.done)) {
    if (Date.now() > deadline) assert.fail(`a GET /v1/client never settled: ${sent.length} sent`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A signed-out manager, loaded and subscribed, at `window.fapiTest`; also counts the
 * window's offline/online events and the listener's calls. */
function loadManager() {
  return page.evaluate(
    async ([api, options]) => {
      const { createClientManager } = await import('/pkg/index.js');
      const manager = await createClientManager({ frontendApi: api, ...options });
      const t = { manager, events: [], network: [] };
      window.fapiTest = t;
      for (const type of ['offline', 'online']) {
        window.addEventListener(type, () => t.network.push({ type, onLine: navigator.onLine }));
      }
      manager.subscribe((s) => t.events.push({ version: s.version, cause: s.cause, nextRetryAt: s.nextRetryAt }));
      const s = await manager.load();
      return { status: s.status, onLine: navigator.onLine };
    },
    [stack.api.url, OPTIONS],
  );
}

test('setOffline flips navigator.onLine; online alone revalidates with one GET (cause online)', { timeout: 60_000 }, async () => {
  assert.deepEqual(await loadManager(), { status: 'ready', onLine: true });
  const clientId = await page.evaluate(async () => (await window.fapiTest.manager.create()).client.id);
  await browserIdle();
  assert.equal((await mockGets()).length, 1, 'the load');

  await page.context().setOffline(true);
  await page.waitForFunction(() => !navigator.onLine && window.fapiTest.network.length === 1, null, { timeout: TIMEOUT });
  // Signed in elsewhere meanwhile: the revalidation's answer is a change the page can see.
  await stack.api.control('/sessions', { client_id: clientId, identifier: ADA.identifier });
  await page.context().setOffline(false);
  const s = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const { manager } = window.fapiTest;
        const check = () => manager.getSnapshot().cause === 'online' && resolve(manager.getSnapshot());
        if (!check()) manager.subscribe(check);
      }).then((s) => ({
        cause: s.cause,
        status: s.status,
        email: s.user?.email_addresses[0]?.email_address,
        network: window.fapiTest.network,
      })),
  );
  assert.deepEqual(s, {
    cause: 'online',
    status: 'ready',
    email: ADA.identifier,
    network: [
      { type: 'offline', onLine: false },
      { type: 'online', onLine: true },
    ],
  });
  await browserIdle();
  assert.equal((await mockGets()).length, 2, 'the load and one revalidation');
  assert.equal(sent.length, 2);
  assert.deepEqual(pageProblems(page), []);
});

test('a retry due while offline waits for online, then goes out once (the online revalidation joins it)', { timeout: 60_000 }, async () => {
  assert.deepEqual(await loadManager(), { status: 'ready', onLine: true });
  await browserIdle();
  // A 503 for the next GET. Retry-After: 1 s puts the retry far enough out to go offline
  // first: with retryBaseMs 50 alone it is due 25-50 ms after the answer, less than the
  // round trip that sets the context offline, and would usually go out before.
  await stack.api.control('/faults', { method: 'GET', path: '/v1/client', status: 503, retry_after: 1 });
  await page.evaluate(() => {
    const t = window.fapiTest;
    t.pending = t.manager.refresh().then(
      (s) => ({ status: s.status, error: s.error, cause: s.cause, nextRetryAt: s.nextRetryAt }),
      (e) => ({ rejected: `${e.kind} ${e.status} ${e.message}` }),
    );
  });
  const retryAt = await page
    .waitForFunction(() => window.fapiTest.manager.getSnapshot().nextRetryAt, null, { timeout: TIMEOUT })
    .then((h) => h.jsonValue());
  const failed = await page.evaluate(() => {
    const s = window.fapiTest.manager.getSnapshot();
    return { status: s.status, error: s.error && `${s.error.kind} ${s.error.status}` };
  });
  assert.deepEqual(failed, { status: 'ready', error: 'http 503' }, 'the 503 is in the snapshot, the client kept');
  await browserIdle();
  const before = await mockGets();
  assert.deepEqual(before.map((e) => e.status), [200, 503], 'the load, then the refresh that failed');

  await page.context().setOffline(true);
  const offline = await page.evaluate((retryAt) => ({ onLine: navigator.onLine, early: Date.now() < retryAt }), retryAt);
  assert.deepEqual(offline, { onLine: false, early: true }, 'offline before the retry was due');
  // Past the retry's time, inside the page (its clock set nextRetryAt).
  await page.waitForFunction((retryAt) => Date.now() > retryAt + 300, retryAt, { timeout: TIMEOUT, polling: 50 });
  const waiting = await page.evaluate(() => {
    const t = window.fapiTest;
    const s = t.manager.getSnapshot();
    return { error: s.error && `${s.error.kind} ${s.error.status}`, lastCause: t.events.at(-1).cause, onLine: navigator.onLine };
  });
  assert.deepEqual(waiting, { error: 'http 503', lastCause: 'error', onLine: false }, 'still the 503: no attempt failed offline');
  assert.equal(sent.length, 2, `the browser sent no retry while offline (${sent.map((e) => e.failure).join(', ')})`);
  assert.equal((await mockGets()).length, before.length, 'the mock saw no retry while offline');

  await page.context().setOffline(false); // fires `online`: the retry, and a revalidation
  const result = await page.evaluate(() => window.fapiTest.pending);
  assert.deepEqual(result, { status: 'ready', error: null, cause: 'refresh', nextRetryAt: null });
  await browserIdle();
  const afterOnline = await mockGets();
  assert.deepEqual(
    afterOnline.slice(before.length).map((e) => e.status),
    [200],
    'exactly one more GET: the retry, which the online revalidation joined',
  );
  assert.ok(afterOnline.at(-1).at_ms > retryAt + 300, 'it went out after online, not at its time');
  assert.equal(sent.length, 3);
  assert.deepEqual(sent.map((e) => e.failure), [null, null, null], 'no request failed');
  const network = await page.evaluate(() => window.fapiTest.network.map((n) => n.type));
  assert.deepEqual(network, ['offline', 'online'], 'the online event did fire');
  // Chromium reports the 503 itself; nothing else may reach the console.
  const problems = pageProblems(page).filter((p) => !/Failed to load resource: .* 503 /.test(p));
  assert.deepEqual(problems, []);
});
