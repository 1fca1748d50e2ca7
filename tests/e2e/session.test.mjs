// The session API of the built package (pkg/) in headless Chromium against fapi-mock:
// signIn / setActive / signOut / request through the public, bound methods, and session
// tokens verified against the mock's JWKS with a real JWT library (jose), their renewal
// ahead of expiry, idle tabs that send nothing, and two tabs sharing one token.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startStack } from './lib/stack.mjs';
import { SEEDED_USERS } from './lib/mock.mjs';
import { pageProblems } from './lib/browser.mjs';

const [BOSS, ADA] = SEEDED_USERS;
let stack;
let page;

before(async () => {
  stack = await startStack();
});
after(async () => {
  await page?.close();
  await stack?.close();
});
beforeEach(async () => {
  await page?.close();
  await stack.api.reset();
  await stack.api.control('/config', { token_lifetime_secs: 60 });
  page = await stack.openPage();
});

/** Verifies `jwt` against the mock's JWKS; returns its claims. */
async function verify(jwt) {
  const jwks = createRemoteJWKSet(new URL(`${stack.api.url}/.well-known/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(jwt, jwks, { algorithms: ['RS256'] });
  assert.equal(protectedHeader.alg, 'RS256');
  return payload;
}

const tokenPosts = async () =>
  (await stack.api.log()).filter((e) => e.method === 'POST' && e.path.includes('/tokens')).length;

test('signIn, a second user, setActive, signOut of one and of all, with their causes', async () => {
  const r = await page.evaluate(async ([api, boss, ada]) => {
    const { createClientManager, FapiError } = await import('/pkg/index.js');
    const m = await createClientManager({ frontendApi: api });
    const { signIn, signOut, setActive, getSnapshot } = m; // unbound on purpose
    const causes = [];
    m.subscribe((s) => causes.push(s.cause));
    await m.load();
    const attempt = await signIn({ identifier: boss.identifier, password: boss.password });
    const first = getSnapshot();
    await signIn({ identifier: ada.identifier, password: ada.password });
    const both = getSnapshot();
    const switched = await setActive(first.session.id);
    let wrong;
    try {
      await signIn({ identifier: ada.identifier, password: 'not-it' });
    } catch (e) {
      wrong = { isFapi: e instanceof FapiError, kind: e.kind, status: e.status, code: e.code, snapshotError: getSnapshot().error };
    }
    const one = await signOut({ sessionId: first.session.id });
    const all = await signOut();
    return {
      attempt: { status: attempt.status, object: attempt.object, frozen: Object.isFrozen(attempt) },
      firstUser: first.user.first_name,
      bothUser: both.user.first_name,
      bothSessions: both.sessions.map((s) => s.user.first_name),
      switchedUser: switched.user.first_name,
      wrong,
      oneLeft: one.sessions.map((s) => s.user.first_name),
      all: { signedIn: all.isSignedIn, sessions: all.sessions.length, client: all.client !== null },
      causes,
    };
  }, [stack.api.url, BOSS, ADA]);
  assert.deepEqual(r.attempt, { status: 'complete', object: 'sign_in_attempt', frozen: true });
  assert.equal(r.firstUser, 'Boss');
  assert.equal(r.bothUser, 'Ada');
  assert.deepEqual([...r.bothSessions].sort(), ['Ada', 'Boss']);
  assert.equal(r.switchedUser, 'Boss');
  assert.deepEqual(r.wrong, { isFapi: true, kind: 'http', status: 422, code: 'form_password_incorrect', snapshotError: null });
  assert.deepEqual(r.oneLeft, ['Ada']);
  assert.deepEqual(r.all, { signedIn: false, sessions: 0, client: true });
  // Chromium logs the deliberate 422 itself; nothing else may be logged.
  // 'load' twice: idle to loading, then loading to ready.
  assert.deepEqual(r.causes, ['load', 'load', 'signIn', 'signIn', 'setActive', 'signOut', 'signOut']);
  assert.deepEqual(pageProblems(page).filter((p) => !/status of 422/.test(p)), []);
});

test('request(): any path, a piggybacked client applied, a Clerk error as FapiError, bad input refused', async () => {
  const r = await page.evaluate(async ([api, boss]) => {
    const { createClientManager } = await import('/pkg/index.js');
    const m = await createClientManager({ frontendApi: api });
    const { request } = m;
    const answer = await request('/v1/client/sign_ins', {
      body: { strategy: 'password', identifier: boss.identifier, password: boss.password },
    });
    const afterSignIn = m.getSnapshot();
    const fail = (p) => p.then(() => null, (e) => ({ kind: e.kind, status: e.status, code: e.code }));
    return {
      answer: { status: answer.status, frozen: Object.isFrozen(answer) },
      cause: afterSignIn.cause,
      signedIn: afterSignIn.isSignedIn,
      notFound: await fail(request('/v1/client/sessions/sess_nope/touch', { method: 'POST' })),
      outside: await fail(request('https://elsewhere.example/v1/client')),
      method: await fail(request('/v1/client', { method: 'BREW' })),
      noId: await fail(m.setActive('../../x')),
    };
  }, [stack.api.url, BOSS]);
  assert.deepEqual(r.answer, { status: 'complete', frozen: true });
  assert.equal(r.cause, 'request');
  assert.equal(r.signedIn, true);
  assert.equal(r.notFound.kind, 'http');
  assert.equal(r.notFound.status, 404);
  for (const refused of [r.outside, r.method, r.noId]) assert.equal(refused.kind, 'config');
  // Chromium logs the deliberate 404 itself; nothing else may be logged.
  const problems = pageProblems(page).filter((p) => !/status of 404/.test(p));
  assert.deepEqual(problems, []);
});

test('getToken(): a JWT that verifies against the JWKS with the session, user and template', async () => {
  const r = await page.evaluate(async ([api, boss]) => {
    const { createClientManager } = await import('/pkg/index.js');
    const m = await createClientManager({ frontendApi: api });
    const { getToken } = m;
    const before = await getToken();
    await m.signIn({ identifier: boss.identifier, password: boss.password });
    const s = m.getSnapshot();
    return {
      before,
      sessionId: s.session.id,
      userId: s.user.id,
      token: await getToken(),
      template: await getToken({ template: 'backend' }),
      storage: localStorage.length + sessionStorage.length,
      cookie: document.cookie,
    };
  }, [stack.api.url, BOSS]);
  assert.equal(r.before, null, 'nobody signed in: null');
  const claims = await verify(r.token);
  assert.equal(claims.sid, r.sessionId);
  assert.equal(claims.sub, r.userId);
  assert.equal(typeof claims.exp, 'number');
  assert.equal(claims.exp - claims.iat, 60);
  const templated = await verify(r.template);
  assert.equal(templated.sid, r.sessionId);
  assert.notEqual(r.template, r.token);
  assert.equal(r.storage, 0, 'no token in localStorage or sessionStorage');
  assert.ok(!r.cookie.includes('__session'), 'no __session cookie without sessionCookie');
  assert.equal(await tokenPosts(), 1, 'the default token came from last_active_token; the template one was asked for');
});

test('a token asked for every 250 ms is always answered at once: renewed ahead of expiry', async () => {
  // 5 s tokens: fresh for 2.5 to 3.5 s here (exp in whole seconds, 0.5 s leeway, and the
  // Date header's second taken off), renewed a little before that.
  await stack.api.control('/config', { token_lifetime_secs: 5 });
  const r = await page.evaluate(async ([api, boss]) => {
    const { createClientManager } = await import('/pkg/index.js');
    const m = await createClientManager({ frontendApi: api, tokenLeewayMs: 500 });
    await m.signIn({ identifier: boss.identifier, password: boss.password });
    const macrotask = () => new Promise((resolve) => setTimeout(() => resolve('waited'), 0));
    const seen = [];
    let waited = 0;
    const end = Date.now() + 8000;
    while (Date.now() < end) {
      // A cached token resolves before a macrotask can run; one that waits for a POST not.
      const first = await Promise.race([m.getToken(), macrotask()]);
      if (first === 'waited') waited += 1;
      const jwt = await m.getToken();
      const exp = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp;
      seen.push({ jwt, fresh: exp * 1000 > Date.now() });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    m.dispose();
    return { calls: seen.length, waited, distinct: new Set(seen.map((s) => s.jwt)).size, stale: seen.filter((s) => !s.fresh).length };
  }, [stack.api.url, BOSS]);
  assert.ok(r.calls >= 20, `${r.calls} calls`);
  assert.equal(r.waited, 0, 'no call waited for a request');
  assert.equal(r.stale, 0, 'never an expired token');
  assert.ok(r.distinct >= 3, `renewed: ${r.distinct} tokens in 8 s of 5 s tokens`);
  const posts = await tokenPosts();
  assert.ok(posts >= 2 && posts <= 5, `${posts} token requests in 8 s of ${r.calls} calls (about one per fresh span)`);
});

test('an idle subscribed tab sends no token request in 30 s; two tabs share one token', { timeout: 90_000 }, async () => {
  await stack.api.control('/config', { token_lifetime_secs: 5 });
  // The idle tab: signed in, subscribed, nobody asks for a token.
  await page.evaluate(async ([api, boss]) => {
    const { createClientManager } = await import('/pkg/index.js');
    const m = await createClientManager({ frontendApi: api, tokenLeewayMs: 1000 });
    window.manager = m;
    m.subscribe(() => {});
    await m.signIn({ identifier: boss.identifier, password: boss.password });
  }, [stack.api.url, BOSS]);
  await stack.api.control('/log', undefined, { method: 'DELETE' });
  await new Promise((resolve) => setTimeout(resolve, 30_000)); // the span measured, not a condition
  assert.equal(await tokenPosts(), 0, 'an idle tab sends no token request');

  // Two tabs of one browser profile (same cookie, same BroadcastChannel): one mints, the
  // other adopts it instead of asking.
  const context = page.context();
  const open = async () => {
    const p = await context.newPage();
    await p.goto(stack.web.url + '/');
    await p.evaluate(async (api) => {
      const { createClientManager } = await import('/pkg/index.js');
      window.manager = await createClientManager({ frontendApi: api, tokenLeewayMs: 1000 });
      window.manager.subscribe(() => {});
      await window.manager.load();
    }, stack.api.url);
    return p;
  };
  const [a, b] = [await open(), await open()];
  await stack.api.control('/log', undefined, { method: 'DELETE' });
  const minted = await a.evaluate(() => window.manager.getToken({ skipCache: true }));
  await b.waitForFunction(
    async (jwt) => (await window.manager.getToken()) === jwt,
    minted,
    { timeout: 5000, polling: 50 },
  );
  assert.equal(await tokenPosts(), 1, 'one POST for both tabs');
  await a.close();
  await b.close();
});

test('eight tabs asking for a token every second share about one request per token lifetime', { timeout: 90_000 }, async (t) => {
  // 10 s tokens, fresh for about 8 s here: over 25 s each tab asks 25 times.
  await stack.api.control('/config', { token_lifetime_secs: 10 });
  const context = page.context();
  await page.evaluate(async ([api, boss]) => {
    const { createClientManager } = await import('/pkg/index.js');
    const m = await createClientManager({ frontendApi: api, tokenLeewayMs: 1000 });
    await m.signIn({ identifier: boss.identifier, password: boss.password });
    m.dispose();
  }, [stack.api.url, BOSS]);
  const tabs = [];
  for (let i = 0; i < 8; i += 1) {
    const tab = await context.newPage();
    await tab.goto(stack.web.url + '/');
    await tab.evaluate(async (api) => {
      const { createClientManager } = await import('/pkg/index.js');
      window.manager = await createClientManager({ frontendApi: api, tokenLeewayMs: 1000 });
      window.manager.subscribe(() => {});
      await window.manager.load();
    }, stack.api.url);
    tabs.push(tab);
  }
  await stack.api.control('/log', undefined, { method: 'DELETE' });
  const asked = await Promise.all(
    tabs.map((tab) =>
      tab.evaluate(async () => {
        let answered = 0;
        const end = Date.now() + 25_000; // the window measured
        while (Date.now() < end) {
          if (await window.manager.getToken()) answered += 1;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        return answered;
      }),
    ),
  );
  const calls = asked.reduce((a, b) => a + b, 0);
  assert.ok(calls >= 8 * 20, `${calls} answered calls`);
  const posts = await tokenPosts();
  t.diagnostic(`${posts} token requests for ${calls} calls in 8 tabs over 25 s`);
  // Alone, each tab would renew about three times (24 requests); shared (a tab that renews
  // says so first, the others wait for its token), about three in all.
  assert.ok(posts >= 2 && posts <= 6, `${posts} token requests for ${calls} calls in 8 tabs over 25 s`);
  for (const tab of tabs) await tab.close();
});
