// The official client as the mock's conformance suite (#13): the unmodified browser
// bundle of @clerk/clerk-js (pinned in package.json) loads against fapi-mock, signs two
// users in with a password, switches between them, gets session tokens and signs out, in
// a production instance (cookie) and a development one (dev browser); then fapi-session
// runs the same steps on the same mock and both clients must end up alike, step by step,
// in the mock's view. Every answer the mock gave (both clients) must validate against the
// schema fapi-openapi.json names for its path, method and status (lib/openapi.mjs; the
// nulls it allows: lib/spec-nulls.mjs). No request may leave the mock's origin.
//
// clerk-js derives an https Frontend API from the key; the mock speaks http, so clerk-js
// reaches it through its proxy option (`data-clerk-proxy-url`, an absolute http URL: the
// mock serves the API under /__clerk as well, `--proxy-path`). Development: clerk-js makes
// a dev browser only when the key's host is a development host (`*.accounts.dev`), so the
// development key names one; the proxy still takes every request to the mock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { launchBrowser, pageProblems } from './lib/browser.mjs';
import { startMock, SEEDED_USERS } from './lib/mock.mjs';
import { makeSite } from './lib/site.mjs';
import { loadSpec, specCopyDiffers, specPath, specValidator } from './lib/openapi.mjs';

/** The installed clerk-js (its package.json exports no path but its builds). */
const CLERK_PACKAGE = join(import.meta.dirname, 'node_modules', '@clerk', 'clerk-js');
/** Its dist/ folder: the browser bundle loads its chunks from beside itself. */
const CLERK_DIST = join(CLERK_PACKAGE, 'dist');
const CLERK_VERSION = JSON.parse(readFileSync(join(CLERK_PACKAGE, 'package.json'), 'utf8')).version;
const [BOSS, ADA] = SEEDED_USERS;
const PROXY = '/__clerk';

/** What the spec does not describe and clerk-js needs (tests/fapi-mock/README.md): the
 * spec's `POST /v1/dev_browser` has no body schema; clerk-js reads `id` (the JWT). */
const UNDESCRIBED = ['POST /v1/dev_browser'];

let site;
let browser;
const spec = loadSpec();
const check = specValidator(spec, { undescribed: UNDESCRIBED });

before(async () => {
  if (!existsSync(join(CLERK_DIST, 'clerk.browser.js'))) {
    throw new Error(`${CLERK_DIST}/clerk.browser.js is missing: run npm ci in tests/e2e`);
  }
  site = makeSite(undefined, { copy: { clerk: CLERK_DIST, 'conformance.js': join(import.meta.dirname, 'lib', 'conformance-page.js') } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  site?.remove();
});

/** `pk_<kind>_` + base64(`host$`). */
const keyFor = (kind, host) => `pk_${kind}_${Buffer.from(`${host}$`).toString('base64')}`;

/**
 * A fresh page at the mock's origin that records every answer of the API (under the
 * proxy path) with its body, and aborts and records every request to any other origin.
 */
async function openRecordedPage(mock) {
  const page = await browser.newPage();
  const answers = [];
  const outside = [];
  await page.route(
    (url) => url.origin !== mock.url,
    (route) => {
      outside.push(route.request().url());
      return route.abort();
    },
  );
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.origin !== mock.url || !url.pathname.startsWith(`${PROXY}/`)) return;
    const method = url.searchParams.get('_method') || res.request().method();
    answers.push(
      res.text().then((text) => ({ method, path: url.pathname.slice(PROXY.length), status: res.status(), text })),
    );
  });
  await page.goto(`${mock.url}/`);
  return { page, outside, answers: () => Promise.all(answers) };
}

/** Each answer checked against the spec: every problem, as text. */
function schemaProblems(answers) {
  return answers.flatMap(({ method, path, status, text }) => {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${method} ${path} ${status}: not JSON: ${text.slice(0, 80)}`];
    }
    return check({ method, path, status, body });
  });
}

/** The steps both clients take, by name; each runs in the page (lib/conformance-page.js)
 * and returns what the client itself says (`client`: its id, `active`: the active
 * session's id). */
const STEPS = ['load', 'sign in Boss', 'token', 'sign in Ada', 'switch to Boss', 'token', 'sign out Boss', 'sign out all'];

/** A step in the page with the named client (lib/conformance-page.js). */
function pageStep(page, name, step, options) {
  return page.evaluate(
    async ([name, step, context]) => (await import('/conformance.js')).runStep(name, step, context),
    [name, step, { users: [BOSS, ADA], options }],
  );
}

/** The mock's view of a client, reduced to what both clients must agree on: per user
 * (in the client's order) whether the session is signed in, and whose session is active.
 * `statuses` keeps the raw statuses for messages. */
async function mockView(mock, clientId) {
  if (!clientId) return { sessions: [], active: null, statuses: [] };
  const client = await mock.control(`/clients/${clientId}`, undefined, { method: 'GET' });
  const user = (s) => s.user?.username ?? s.public_user_data?.identifier ?? s.id;
  const active = client.sessions.find((s) => s.id === client.last_active_session_id);
  return {
    sessions: client.sessions.map((s) => ({ user: user(s), signedIn: s.status === 'active' })),
    active: active ? user(active) : null,
    statuses: client.sessions.map((s) => `${user(s)}: ${s.status}`),
  };
}

async function verifyToken(mock, jwt, sessionId) {
  const jwks = createRemoteJWKSet(new URL(`${mock.url}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(jwt, jwks);
  assert.equal(payload.sid, sessionId, 'the token names the active session');
  return payload;
}

/** Runs STEPS with `runStep` in a recorded page on `mock`: what the client said and the
 * mock's view after each step, the answers, the outside requests, the page's problems. */
async function runFlow(mock, runStep) {
  const { page, outside, answers } = await openRecordedPage(mock);
  const steps = [];
  for (const [i, step] of STEPS.entries()) {
    const said = await runStep(page, step);
    steps.push({ step: `${i} ${step}`, said, view: await mockView(mock, said.client) });
  }
  const recorded = await answers();
  const problems = pageProblems(page);
  await page.close();
  return { steps, answers: recorded, outside, problems };
}

/** The operations (`METHOD template status`) the recorded answers were, sorted, unique. */
function operations(answers) {
  return [...new Set(answers.map((a) => `${a.method} ${specPath(spec, a.path) ?? a.path} ${a.status}`))].sort();
}

/** What a flow must show whichever client ran it; `calls`: the operations it must have
 * made (and had checked against the spec), every one of them answered 200. */
async function assertFlow(mock, { steps, outside, problems, answers }, name, calls) {
  const at = (step) => steps.find((s) => s.step.endsWith(step) && s.said);
  assert.equal(steps[0].said.loaded, true, `${name} loaded`);
  assert.deepEqual(outside, [], `${name}: no request left ${mock.url}`);
  assert.deepEqual(problems, [], `${name}: no console errors`);
  assert.equal(at('sign in Boss').said.status, 'complete');
  assert.equal(at('sign in Ada').said.status, 'complete');
  // Tokens: the cached one and a fresh one, both for the active (Boss's) session.
  const tokens = steps.filter((s) => s.step.endsWith('token'));
  assert.equal(tokens.length, 2);
  for (const { said } of tokens) {
    const cached = await verifyToken(mock, said.token, said.active);
    const fresh = await verifyToken(mock, said.fresh, said.active);
    assert.equal(cached.sub, fresh.sub);
  }
  assert.equal(tokens[0].said.active, tokens[1].said.active, 'switching back makes Boss active again');
  assert.notEqual(at('sign in Ada').said.active, tokens[0].said.active, 'the second sign-in is active');
  assert.equal(steps.at(-1).said.active, null, `${name}: nobody is signed in at the end`);
  assert.deepEqual(operations(answers), calls.map((c) => `${c} 200`).sort(), `${name}: the calls made`);
  const invalid = schemaProblems(answers);
  assert.deepEqual(invalid, [], `${name}: answers the spec does not allow`);
  return steps.map(({ step, view }) => ({ step, sessions: view.sessions, active: view.active }));
}

/** The expected view after each step (the same for both clients). */
const EXPECTED_VIEWS = [
  { sessions: [], active: null },
  { sessions: [{ user: 'boss', signedIn: true }], active: 'boss' },
  { sessions: [{ user: 'boss', signedIn: true }], active: 'boss' },
  { sessions: [{ user: 'boss', signedIn: true }, { user: 'ada', signedIn: true }], active: 'ada' },
  { sessions: [{ user: 'boss', signedIn: true }, { user: 'ada', signedIn: true }], active: 'boss' },
  { sessions: [{ user: 'boss', signedIn: true }, { user: 'ada', signedIn: true }], active: 'boss' },
  { sessions: [{ user: 'boss', signedIn: false }, { user: 'ada', signedIn: true }], active: 'ada' },
  { sessions: [{ user: 'boss', signedIn: false }, { user: 'ada', signedIn: false }], active: null },
];

/** Loads the browser bundle the documented way: a script tag with its data attributes
 * (the bundle makes `window.Clerk = new Clerk(key, { proxyUrl })`). */
function clerkJsRunner(mock, publishableKey) {
  let injected = false;
  return async (page, step) => {
    if (!injected) {
      injected = true;
      await page.evaluate(
        ([key, proxyUrl]) =>
          new Promise((resolve, reject) => {
            const script = document.createElement('script');
            script.src = '/clerk/clerk.browser.js';
            script.dataset.clerkPublishableKey = key;
            script.dataset.clerkProxyUrl = proxyUrl;
            script.onload = resolve;
            script.onerror = () => reject(new Error('clerk.browser.js did not load'));
            document.head.append(script);
          }),
        [publishableKey, `${mock.url}${PROXY}`],
      );
    }
    return pageStep(page, 'clerk-js', step);
  };
}

/** The calls of the flow, by both clients (the load differs by instance: `load`). */
const SESSION_CALLS = [
  'GET /v1/client',
  'POST /v1/client/sign_ins',
  'POST /v1/client/sessions/{session_id}/touch',
  'POST /v1/client/sessions/{session_id}/tokens',
  'DELETE /v1/client/sessions',
];
const CLERK_CALLS = [...SESSION_CALLS, 'POST /v1/client/sessions/{session_id}/remove'];
const FAPI_SESSION_CALLS = [...SESSION_CALLS, 'POST /v1/client/sessions/{session_id}/end'];

async function conformance(mock, publishableKey, fapiSessionOptions, load) {
  await mock.reset();
  const clerk = await runFlow(mock, clerkJsRunner(mock, publishableKey));
  const clerkViews = await assertFlow(mock, clerk, 'clerk-js', [...CLERK_CALLS, ...load.clerk]);
  assert.deepEqual(
    clerkViews.map(({ sessions, active }) => ({ sessions, active })),
    EXPECTED_VIEWS,
    'clerk-js: the mock saw the flow',
  );
  assert.deepEqual(clerk.steps.at(-1).said.navigations, ['/', '/'], 'clerk-js went to its after-sign-out URL twice');
  const clerkLog = await mock.log();
  assert.ok(
    clerkLog.filter((e) => e.path.startsWith('/v1/')).every((e) => String(e.query).includes(`_clerk_js_version=${CLERK_VERSION}`)),
    'every request came from clerk-js',
  );

  const fapi = await runFlow(mock, (page, step) => pageStep(page, 'fapi-session', step, fapiSessionOptions));
  const fapiViews = await assertFlow(mock, fapi, 'fapi-session', [...FAPI_SESSION_CALLS, ...load.fapiSession]);
  assert.notEqual(fapi.steps[1].said.client, clerk.steps[1].said.client, 'two clients');
  // Both clients end up alike after every step...
  const statuses = (flow) => flow.steps.map((s) => `${s.step}: ${s.view.statuses.join(', ')}`).join('\n');
  assert.deepEqual(fapiViews, clerkViews, `the same client state:\nclerk-js\n${statuses(clerk)}\nfapi-session\n${statuses(fapi)}`);
  // ...but for the word: clerk-js signs one session out with `remove`, fapi-session with `end`.
  const signedOutBoss = (flow) => flow.steps.find((s) => s.step.endsWith('sign out Boss')).view.statuses;
  assert.deepEqual(signedOutBoss(clerk), ['boss: removed', 'ada: active']);
  assert.deepEqual(signedOutBoss(fapi), ['boss: ended', 'ada: active']);
  // The key set the tokens were verified with conforms too.
  const jwks = await fetch(`${mock.url}${PROXY}/.well-known/jwks.json`);
  assert.deepEqual(check({ method: 'GET', path: '/.well-known/jwks.json', status: jwks.status, body: await jwks.json() }), []);
  return { clerk, fapi, clerkLog };
}

test('the copy of the spec is the reference spec', () => {
  const differs = specCopyDiffers();
  if (differs === null) return; // no shared/ beside the repository: the copy stands alone
  assert.equal(differs, false, 'tests/e2e/fixtures/fapi-openapi.json: copy shared/reference/fapi-openapi.json again');
});

test('the spec check names the call, the field and the rule', () => {
  const problems = check({
    method: 'POST',
    path: '/v1/client/sessions/sess_1/touch',
    status: 200,
    body: { response: { object: 'session', id: 'sess_1', status: 'signed_in' }, client: null },
  });
  assert.ok(problems.length > 0);
  assert.ok(
    problems.some((p) => p.startsWith('POST /v1/client/sessions/sess_1/touch 200: /response/status: must be equal to one of the allowed values') && p.includes('(Client.SessionBase #/properties/status/enum)')),
    problems.join('\n'),
  );
  assert.ok(problems.some((p) => /\/response: must have required property 'public_user_data' .*Client.Session/.test(p)), problems.join('\n'));
  assert.deepEqual(check({ method: 'POST', path: '/v1/dev_browser', status: 200, body: {} }), [], 'listed as undescribed');
  assert.match(check({ method: 'POST', path: '/v1/nowhere', status: 200, body: {} })[0], /not in the spec/);
});

test('production instance: clerk-js and fapi-session through the proxy, the cookie names the client', async () => {
  const mock = await startMock(['--static', site.dir, '--proxy-path', PROXY]);
  try {
    const key = keyFor('live', new URL(mock.url).host);
    const { clerkLog } = await conformance(mock, key, { proxyUrl: `${mock.url}${PROXY}`, publishableKey: key }, {
      clerk: ['GET /v1/environment'],
      fapiSession: [],
    });
    const load = clerkLog.slice(0, 2).map((e) => `${e.method} ${e.path}`).sort();
    assert.deepEqual(load, ['GET /v1/client', 'GET /v1/environment'], 'production load');
    const signIn = clerkLog.findIndex((e) => e.path === '/v1/client/sign_ins');
    assert.ok(signIn > 0, 'clerk-js signed in');
    assert.ok(clerkLog.slice(signIn + 1).every((e) => e.has_cookie), 'from the first sign-in on, the cookie names the client');
  } finally {
    await mock.stop();
  }
});

test('development instance: clerk-js and fapi-session with a dev browser', async () => {
  const mock = await startMock(['--static', site.dir, '--proxy-path', PROXY, '--instance', 'development']);
  try {
    const key = keyFor('test', 'conformance-1.clerk.accounts.dev');
    const { clerkLog } = await conformance(mock, key, { proxyUrl: `${mock.url}${PROXY}`, publishableKey: key }, {
      clerk: ['POST /v1/dev_browser', 'PATCH /v1/environment'],
      fapiSession: ['POST /v1/dev_browser'],
    });
    const seen = clerkLog.map((e) => `${e.method} ${e.path}`);
    assert.equal(seen[0], 'POST /v1/dev_browser', 'first the dev browser');
    assert.deepEqual(seen.slice(1, 3).sort(), ['GET /v1/client', 'PATCH /v1/environment'], 'then the load');
    assert.ok(clerkLog.slice(1).every((e) => String(e.query).includes('__clerk_db_jwt=')), 'the dev browser names the client');
  } finally {
    await mock.stop();
  }
});
