// Every way an app reaches its Frontend API, with the built package in headless Chromium:
// a publishable key for both instance kinds, a proxy on the page's own origin, a
// development instance across sites (page on localhost, API on 127.0.0.1) with the
// browser blocking third-party cookies, where cookie mode loses the client and the dev
// browser keeps it, cookie-less mode with the memory store and with a custom one, the
// session API and getToken() in each mode, and every configuration error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { launchBrowser, pageProblems } from './lib/browser.mjs';
import { startMock, SEEDED_USERS } from './lib/mock.mjs';
import { makeSite } from './lib/site.mjs';

const [BOSS] = SEEDED_USERS;
// Chromium's switch for testing the third-party cookie phase-out: cross-site cookies are
// neither stored nor sent, as in browsers that block them.
const BLOCK_THIRD_PARTY = '--test-third-party-cookie-phaseout';

let site;
let web; // serves the pages, and the production API under /__clerk (the proxy)
let prod; // a production instance on its own port
let dev; // a development instance
let browser;

before(async () => {
  site = makeSite();
  web = await startMock(['--static', site.dir, '--proxy-path', '/__clerk']);
  prod = await startMock([]);
  dev = await startMock(['--instance', 'development']);
  browser = await launchBrowser({ args: [BLOCK_THIRD_PARTY] });
});
after(async () => {
  await browser?.close();
  for (const m of [web, prod, dev]) await m?.stop();
  site?.remove();
});

/** `pk_<kind>_` + base64(`host$`) for a mock's URL. */
function keyFor(mock, kind) {
  const host = new URL(mock.url).host;
  return `pk_${kind}_${Buffer.from(`${host}$`).toString('base64')}`;
}

/** A page of a fresh context, at the site on `localhost` (cross-site to the APIs on
 * 127.0.0.1) or on 127.0.0.1 itself (same site). */
async function openPage({ crossSite = true, context } = {}) {
  const ctx = context || (await browser.newContext());
  const page = await ctx.newPage();
  const origin = crossSite ? web.url.replace('127.0.0.1', 'localhost') : web.url;
  await page.goto(`${origin}/`);
  return page;
}

/** In the page: a manager with `options` loads, signs Boss in, gets a token; a second
 * manager made as after a reload loads again. What each saw, as plain data. */
function signInFlow(page, options, user = BOSS) {
  return page.evaluate(
    async ([options, user]) => {
      const { createClientManager } = await import('/pkg/index.js');
      const m = await createClientManager(options);
      const first = await m.load();
      await m.signIn({ identifier: user.identifier, password: user.password });
      const signedIn = m.getSnapshot();
      const token = await m.getToken();
      m.dispose();
      const again = await createClientManager(options);
      const reloaded = await again.load();
      window.manager = again;
      return {
        first: { status: first.status, signedIn: first.isSignedIn },
        signedIn: { ok: signedIn.isSignedIn, sessionId: signedIn.session && signedIn.session.id },
        token,
        reloaded: { signedIn: reloaded.isSignedIn, sessionId: reloaded.session && reloaded.session.id },
      };
    },
    [options, user],
  );
}

async function verify(mock, jwt, sessionId) {
  const jwks = createRemoteJWKSet(new URL(`${mock.url}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(jwt, jwks);
  assert.equal(payload.sid, sessionId);
}

test('publishableKey, production: the key names the API; the cookie keeps the client (same site)', async () => {
  await prod.reset();
  const page = await openPage({ crossSite: false });
  const r = await signInFlow(page, { publishableKey: keyFor(prod, 'live') });
  assert.deepEqual(r.first, { status: 'ready', signedIn: false });
  assert.ok(r.signedIn.ok);
  assert.deepEqual(r.reloaded, { signedIn: true, sessionId: r.signedIn.sessionId });
  await verify(prod, r.token, r.signedIn.sessionId);
  const log = await prod.log();
  assert.ok(log.every((e) => !String(e.query || '').includes('__clerk_db_jwt')), 'no dev browser');
  assert.deepEqual(pageProblems(page), []);
  await page.context().close();
});

test('across sites with third-party cookies blocked, cookie mode loses the client', async () => {
  await prod.reset();
  const page = await openPage();
  const r = await signInFlow(page, { frontendApi: prod.url });
  assert.ok(r.signedIn.ok, 'the sign-in answer itself is applied');
  assert.equal(r.reloaded.signedIn, false, 'but no cookie carried the client to the next load');
  await page.context().close();
});

test('development instance across sites: one dev browser for ten managers, kept over a reload, renewed when it expires', async () => {
  await dev.reset();
  await dev.control('/dev_browsers', undefined, { method: 'DELETE' });
  const key = keyFor(dev, 'test');
  const context = await browser.newContext();
  const page = await openPage({ context });
  const ten = await page.evaluate(async (key) => {
    const { createClientManager } = await import('/pkg/index.js');
    const managers = await Promise.all(Array.from({ length: 10 }, () => createClientManager({ publishableKey: key })));
    const snaps = await Promise.all(managers.map((m) => m.load()));
    managers.forEach((m) => m.dispose());
    return { ready: snaps.every((s) => s.status === 'ready' && !s.error), cookie: document.cookie };
  }, key);
  assert.ok(ten.ready);
  assert.match(ten.cookie, /__clerk_db_jwt=/, 'the JWT is kept in a first-party cookie');
  const made = (await dev.log()).filter((e) => e.path === '/v1/dev_browser');
  assert.equal(made.length, 1, 'ten managers at start make one dev_browser request');

  const r = await signInFlow(page, { publishableKey: key });
  assert.ok(r.signedIn.ok);
  assert.deepEqual(r.reloaded, { signedIn: true, sessionId: r.signedIn.sessionId }, 'a reload keeps the client');
  await verify(dev, r.token, r.signedIn.sessionId);
  // A real reload of the page: the cookie on the app's site still names the dev browser.
  await page.reload();
  const afterReload = await page.evaluate(async (key) => {
    const { createClientManager } = await import('/pkg/index.js');
    const m = await createClientManager({ publishableKey: key });
    const s = await m.load();
    window.manager = m;
    return s.isSignedIn;
  }, key);
  assert.ok(afterReload);

  // The server rotates the JWT: the answer's Clerk-Db-Jwt replaces the cookie.
  const before = await page.evaluate(() => document.cookie);
  await dev.control('/dev_browsers/rotate', {});
  await page.evaluate(() => window.manager.refresh());
  const rotated = await page.evaluate(() => document.cookie);
  assert.notEqual(rotated, before, 'the rotated JWT is kept');
  assert.ok(await page.evaluate(async () => (await window.manager.refresh()).isSignedIn), 'and works');

  // Every dev browser forgotten: a 401 dev_browser_unauthenticated, a new dev browser,
  // the request once more (a new dev browser has no client yet).
  await dev.control('/dev_browsers', undefined, { method: 'DELETE' });
  await dev.control('/log', undefined, { method: 'DELETE' });
  const renewed = await page.evaluate(async () => {
    const s = await window.manager.refresh();
    return { error: s.error && s.error.code, signedIn: s.isSignedIn };
  });
  assert.deepEqual(renewed, { error: null, signedIn: false });
  const paths = (await dev.log()).map((e) => `${e.status} ${e.method} ${e.path}`);
  assert.deepEqual(paths, ['401 GET /v1/client', '200 POST /v1/dev_browser', '200 GET /v1/client']);
  assert.deepEqual(pageProblems(page).filter((p) => !/status of 401/.test(p)), []);
  await context.close();
});

test('development instance: a dev browser JWT handed over in the page URL is taken, kept and taken out of the address', async () => {
  await dev.reset();
  // A hosted sign-in page made the dev browser and signed in, then redirected back with it.
  const made = await fetch(`${dev.url}/v1/dev_browser`, { method: 'POST' }).then((r) => r.json());
  const signIn = await fetch(`${dev.url}/v1/client/sign_ins?__clerk_db_jwt=${made.id}`, {
    method: 'POST',
    body: new URLSearchParams({ strategy: 'password', identifier: BOSS.identifier, password: BOSS.password }),
  });
  assert.equal(signIn.status, 200);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${web.url.replace('127.0.0.1', 'localhost')}/?tab=1&__clerk_db_jwt=${made.id}#top`);
  const r = await page.evaluate(async (key) => {
    const { createClientManager } = await import('/pkg/index.js');
    const m = await createClientManager({ publishableKey: key });
    const s = await m.load();
    return { signedIn: s.isSignedIn, href: location.search + location.hash, cookie: document.cookie };
  }, keyFor(dev, 'test'));
  assert.equal(r.signedIn, true, 'the client of the handed-over dev browser');
  assert.equal(r.href, '?tab=1#top', 'the JWT is taken out of the address, the rest kept');
  assert.ok(r.cookie.includes(`__clerk_db_jwt=${made.id}`), 'and kept in the cookie');
  const dev_browsers = (await dev.log()).filter((e) => e.path === '/v1/dev_browser');
  assert.equal(dev_browsers.length, 1, 'no new dev browser made (the one is the test\'s)');
  await context.close();
});

test('cookie-less mode across sites: the memory store, and a custom store that survives a reload; destroy() removes the token', async () => {
  await prod.reset();
  const page = await openPage();
  const memory = await signInFlow(page, { frontendApi: prod.url, clientToken: 'memory' });
  assert.ok(memory.signedIn.ok);
  await verify(prod, memory.token, memory.signedIn.sessionId);
  assert.equal(memory.reloaded.signedIn, false, "'memory' lasts as long as the manager's page state");
  const log = await prod.log();
  const signIn = log.find((e) => e.path === '/v1/client/sign_ins');
  assert.match(String(signIn.query), /_is_native=1/);
  assert.ok(log.filter((e) => e.path === '/v1/client/sessions/' + memory.signedIn.sessionId + '/tokens').every((e) => e.has_authorization));
  assert.ok(log.every((e) => !e.has_cookie), 'no cookie is ever sent');

  await prod.reset();
  const custom = await page.evaluate(async ([api, user]) => {
    const { createClientManager } = await import('/pkg/index.js');
    const store = {
      calls: [],
      get() { this.calls.push('get'); return Promise.resolve(localStorage.getItem('fapi-client-token')); },
      set(t) { this.calls.push('set'); localStorage.setItem('fapi-client-token', t); },
      remove() { this.calls.push('remove'); localStorage.removeItem('fapi-client-token'); },
    };
    const options = { frontendApi: api, clientToken: store };
    const m = await createClientManager(options);
    await m.signIn({ identifier: user.identifier, password: user.password });
    const token = await m.getToken();
    m.dispose();
    const again = await createClientManager(options);
    const reloaded = await again.load();
    await again.destroy();
    const after = localStorage.getItem('fapi-client-token');
    const third = await createClientManager(options);
    const fresh = await third.load();
    return {
      token: !!token,
      reloaded: reloaded.isSignedIn,
      removed: after === null,
      fresh: fresh.client === null,
      calls: [...new Set(store.calls)].sort(),
    };
  }, [prod.url, BOSS]);
  assert.deepEqual(custom, { token: true, reloaded: true, removed: true, fresh: true, calls: ['get', 'remove', 'set'] });
  await page.context().close();
});

test('proxyUrl on the page\'s own origin: the API under /__clerk, the cookie first-party', async () => {
  await web.reset();
  const page = await openPage({ crossSite: false });
  const r = await signInFlow(page, { proxyUrl: `${web.url}/__clerk` });
  assert.ok(r.signedIn.ok);
  assert.deepEqual(r.reloaded, { signedIn: true, sessionId: r.signedIn.sessionId });
  const proxied = (await web.log()).filter((e) => e.raw_path.startsWith('/__clerk/v1/'));
  // GET, the sign-in, the second GET (the token came with the sign-in's client).
  assert.ok(proxied.length >= 3, `${proxied.length} requests through the proxy`);
  assert.ok((await web.log()).every((e) => e.raw_path.startsWith('/__clerk/')), 'nothing went around it');
  assert.deepEqual(pageProblems(page), []);
  await page.context().close();
});

test('configuration errors: FapiError kind config naming the option', async () => {
  const page = await openPage({ crossSite: false });
  const r = await page.evaluate(async () => {
    const { createClientManager } = await import('/pkg/index.js');
    const cases = {
      none: {},
      badKey: { publishableKey: 'pk_live_!!!' },
      secretKey: { publishableKey: 'sk_live_abc' },
      proxyNoPath: { proxyUrl: 'https://app.example.com' },
      proxyHttp: { proxyUrl: 'http://app.example.com/__clerk' },
      conflict: { frontendApi: 'https://clerk.example.com', publishableKey: 'pk_live_Y2xlcmsuZXhhbXBsZS5jb20k' },
      conflictProxy: { frontendApi: 'https://clerk.example.com', proxyUrl: 'https://app.example.com/__clerk' },
      badStore: { frontendApi: 'https://clerk.example.com', clientToken: { get() {} } },
    };
    const out = {};
    for (const [name, options] of Object.entries(cases)) {
      out[name] = await createClientManager(options).then(
        () => 'created',
        (e) => `${e.kind}: ${e.message}`,
      );
    }
    return out;
  });
  const named = {
    none: 'options.frontendApi',
    badKey: 'options.publishableKey',
    secretKey: 'options.publishableKey',
    proxyNoPath: 'options.proxyUrl',
    proxyHttp: 'options.proxyUrl',
    conflict: 'options.publishableKey',
    conflictProxy: 'options.proxyUrl',
    badStore: 'options.clientToken',
  };
  for (const [name, option] of Object.entries(named)) {
    assert.match(r[name], /^config: /, `${name}: ${r[name]}`);
    assert.ok(r[name].includes(option), `${name} names ${option}: ${r[name]}`);
  }
  await page.context().close();
});
