// The built package (pkg/) in headless Chromium: a page served by one fapi-mock, the
// Frontend API on another (cross-origin, credentials: 'include').
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { startMock, SEEDED_USERS } from './lib/mock.mjs';
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
  page = await stack.openPage();
});

test('createClientManager + load(): a frozen ready snapshot, idle before', async () => {
  const r = await page.evaluate(async (api) => {
    const { createClientManager } = await import('/pkg/index.js');
    const m = await createClientManager({ frontendApi: api });
    const idle = m.getSnapshot();
    const loaded = await m.load();
    const again = await m.load();
    // The contract's fields (later versions may add more).
    const pick = (s) => Object.fromEntries(
      ['status', 'client', 'session', 'user', 'isSignedIn', 'error', 'version', 'cause'].map((k) => [k, s[k]]),
    );
    return {
      idle: pick(idle),
      loaded: pick(loaded),
      frozen: Object.isFrozen(loaded),
      same: Object.is(loaded, m.getSnapshot()) && Object.is(again, loaded),
    };
  }, stack.api.url);
  assert.deepEqual(r.idle, {
    status: 'idle', client: null, session: null, user: null, isSignedIn: false,
    error: null, version: 0, cause: null,
  });
  assert.equal(r.loaded.status, 'ready');
  assert.equal(r.loaded.client, null, 'no cookie yet: no client');
  assert.equal(r.loaded.isSignedIn, false);
  assert.equal(r.loaded.cause, 'load');
  assert.ok(r.loaded.version > 0);
  assert.ok(r.frozen);
  assert.ok(r.same, 'load() resolves with getSnapshot(); a second load() with the same object');
  const gets = (await stack.api.log()).filter((e) => e.path === '/v1/client');
  assert.equal(gets.length, 1, 'the second load() asks nothing');
  assert.deepEqual(pageProblems(page), []);
});

test('unbound methods work; getSnapshot is stable until a change; one event per change', async () => {
  const r = await page.evaluate(async ([api, user]) => {
    const { createClientManager } = await import('/pkg/index.js');
    const { signIn } = await import('/helpers.js');
    const manager = await createClientManager({ frontendApi: api });
    const { subscribe, getSnapshot, load, refresh, create, destroy } = manager;
    const events = [];
    const unsubscribe = subscribe((s) => events.push(s));
    const eventsDuringSubscribe = events.length;
    const s0 = getSnapshot();
    const stable = Object.is(getSnapshot(), s0);
    const loaded = await load();
    const afterLoad = { changed: !Object.is(loaded, s0), current: Object.is(getSnapshot(), loaded) };
    const created = await create();
    await signIn(api, user.identifier, user.password);
    const eventsBefore = events.length;
    const signedIn = await refresh();
    const eventsForSignIn = events.length - eventsBefore;
    const again = await refresh();
    const identical = {
      sameObject: Object.is(again, signedIn) && Object.is(getSnapshot(), signedIn),
      noEvent: events.length - eventsBefore === eventsForSignIn,
    };
    const lastEventIsCurrent = Object.is(events.at(-1), getSnapshot());
    const versions = events.map((e) => e.version);
    unsubscribe();
    unsubscribe();
    const destroyed = await destroy();
    return {
      eventsDuringSubscribe, stable, afterLoad, createdClient: created.client?.id ?? null,
      signedIn: { status: signedIn.status, isSignedIn: signedIn.isSignedIn, cause: signedIn.cause,
                  email: signedIn.user?.email_addresses?.[0]?.email_address },
      eventsForSignIn, identical, lastEventIsCurrent, versions,
      eventsAfterUnsubscribe: events.length - versions.length,
      destroyed: { client: destroyed.client, session: destroyed.session, user: destroyed.user,
                   isSignedIn: destroyed.isSignedIn, cause: destroyed.cause },
      listenerCount: manager.listenerCount,
    };
  }, [stack.api.url, ADA]);
  assert.equal(r.eventsDuringSubscribe, 0, 'no event during subscribe()');
  assert.ok(r.stable);
  assert.deepEqual(r.afterLoad, { changed: true, current: true });
  assert.match(r.createdClient, /^client_/);
  assert.deepEqual(r.signedIn, { status: 'ready', isSignedIn: true, cause: 'refresh', email: ADA.identifier });
  assert.equal(r.eventsForSignIn, 1, 'one event for one change');
  assert.deepEqual(r.identical, { sameObject: true, noEvent: true }, 'an identical refresh is no change');
  assert.ok(r.lastEventIsCurrent);
  for (let i = 1; i < r.versions.length; i++) assert.equal(r.versions[i], r.versions[i - 1] + 1);
  assert.equal(r.eventsAfterUnsubscribe, 0);
  assert.deepEqual(r.destroyed, { client: null, session: null, user: null, isSignedIn: false, cause: 'destroy' });
  assert.equal(r.listenerCount, 0);
  assert.deepEqual(pageProblems(page), []);
});

test('client/session/user getters follow the snapshot, unchanged parts keep identity', async () => {
  const r = await page.evaluate(async ([api, boss]) => {
    const { createClientManager } = await import('/pkg/index.js');
    const { signIn } = await import('/helpers.js');
    const m = await createClientManager({ frontendApi: api });
    await m.load();
    const empty = { client: m.client, session: m.session, user: m.user };
    await signIn(api, boss.identifier, boss.password);
    const s = await m.refresh();
    const getters = {
      client: Object.is(m.client, s.client),
      session: Object.is(m.session, s.session),
      user: Object.is(m.user, s.user),
      sessionIsActive: s.session.id === s.client.last_active_session_id,
      userIsSessions: Object.is(s.user, s.session.user),
      frozenDeep: Object.isFrozen(s.client) && Object.isFrozen(s.client.sessions) &&
        Object.isFrozen(s.user) && Object.isFrozen(s.user.email_addresses),
    };
    const user = s.user;
    // A second session for the same client (signed in elsewhere) becomes the active one:
    // the client changes, the first session (unchanged) keeps its object.
    const res = await fetch(`${api}/__mock/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: s.client.id, identifier: boss.identifier }),
    });
    if (!res.ok) throw new Error(`control: ${res.status}`);
    const next = await m.refresh();
    return {
      empty, getters, name: `${user.first_name} ${user.last_name}`,
      changed: !Object.is(next, s), clientChanged: !Object.is(next.client, s.client),
      sessions: next.client.sessions.length,
      newActive: next.session.id !== s.session.id && next.session.id === next.client.last_active_session_id,
      oldSessionKept: Object.is(next.client.sessions.find((x) => x.id === s.session.id), s.session),
      userKept: Object.is(next.user, user),
    };
  }, [stack.api.url, BOSS]);
  assert.deepEqual(r.empty, { client: null, session: null, user: null });
  assert.deepEqual(r.getters, {
    client: true, session: true, user: true, sessionIsActive: true, userIsSessions: true, frozenDeep: true,
  });
  assert.equal(r.name, BOSS.name);
  assert.ok(r.changed && r.clientChanged);
  assert.equal(r.sessions, 2);
  assert.ok(r.newActive);
  assert.ok(r.oldSessionKept, 'the unchanged session keeps its object identity');
  assert.ok(r.userKept, 'the unchanged user keeps its object identity');
});

test('FapiError: exported, instanceof FapiError and Error, Clerk fields mapped', async () => {
  await stack.api.control('/faults', {
    method: 'GET',
    path: '/v1/client',
    status: 429,
    retry_after: 7,
    body: JSON.stringify({
      errors: [{ code: 'too_many_requests', message: 'Too many', long_message: 'Slow down', meta: {} }],
      meta: {},
      clerk_trace_id: 'trace_e2e_1',
    }),
  });
  const r = await page.evaluate(async (api) => {
    const mod = await import('/pkg/index.js');
    const { failure, describeError } = await import('/helpers.js');
    // maxRetries: 0 (where supported) so the first failure is the answer.
    const m = await mod.createClientManager({ frontendApi: api, maxRetries: 0 });
    const rejected = await failure(() => m.load(), mod.FapiError);
    const snap = m.getSnapshot();
    const recovered = await m.refresh();
    return {
      exported: typeof mod.FapiError === 'function' && mod.FapiError.name === 'FapiError',
      rejected,
      snapshot: { status: snap.status, error: describeError(snap.error, mod.FapiError) },
      recovered: { status: recovered.status, error: recovered.error },
    };
  }, stack.api.url);
  assert.ok(r.exported);
  const { message, errors, ...fields } = r.rejected;
  assert.deepEqual(fields, {
    isFapiError: true, isError: true, name: 'FapiError', kind: 'http', status: 429,
    code: 'too_many_requests', traceId: 'trace_e2e_1', retryAfter: 7, errorsFrozen: true,
  }, JSON.stringify(r.rejected));
  assert.equal(message, 'Slow down', "the first Clerk error's long_message");
  assert.deepEqual(errors, [{ code: 'too_many_requests', message: 'Too many', long_message: 'Slow down', meta: {} }]);
  assert.deepEqual(r.snapshot, { status: 'error', error: r.rejected }, 'a failed first load: status error');
  assert.deepEqual(r.recovered, { status: 'ready', error: null }, 'the next good answer clears it');
});

test("config errors: a non-loopback http origin; a ClientManager before the wasm is loaded", async () => {
  const r = await page.evaluate(async () => {
    const mod = await import('/pkg/index.js');
    const { failure, describeError } = await import('/helpers.js');
    let beforeInit;
    try {
      new mod.ClientManager({ frontendApi: 'https://clerk.example.com' });
      beforeInit = { constructed: true };
    } catch (e) {
      beforeInit = describeError(e, mod.FapiError);
    }
    const http = await failure(() => mod.createClientManager({ frontendApi: 'http://example.com' }), mod.FapiError);
    const others = [];
    for (const frontendApi of ['example.com', 'https://clerk.example.com/v1', 'ftp://x', '']) {
      others.push(await failure(() => mod.createClientManager({ frontendApi }), mod.FapiError));
    }
    others.push(await failure(() => mod.createClientManager({ frontendApi: 'https://a.example', timeoutMs: -1 }), mod.FapiError));
    others.push(await failure(() => mod.createClientManager({ frontendApi: 'https://a.example', credentials: 'always' }), mod.FapiError));
    const ok = await mod.createClientManager({ frontendApi: 'https://clerk.example.com' });
    const fine = ok.getSnapshot().status;
    ok.dispose();
    return { beforeInit, http, others, fine };
  });
  assert.equal(r.beforeInit.isFapiError, true);
  assert.equal(r.beforeInit.kind, 'config');
  assert.equal(r.http.isFapiError, true);
  assert.equal(r.http.kind, 'config');
  assert.match(r.http.message, /https/);
  for (const o of r.others) assert.equal(o.kind, 'config', JSON.stringify(o));
  assert.equal(r.fine, 'idle', 'construction never touches the network');
});

test('sign-in through sign_ins then refresh() shows the user; the cookie outlives the manager', async () => {
  const r = await page.evaluate(async ([api, ada]) => {
    const { createClientManager } = await import('/pkg/index.js');
    const { signIn } = await import('/helpers.js');
    const m = await createClientManager({ frontendApi: api });
    const before = await m.load();
    await signIn(api, ada.identifier, ada.password);
    const s = await m.refresh();
    m.dispose();
    const m2 = await createClientManager({ frontendApi: api });
    const s2 = await m2.load();
    return {
      before: before.isSignedIn,
      isSignedIn: s.isSignedIn,
      sessionStatus: s.session?.status,
      name: `${s.user?.first_name} ${s.user?.last_name}`,
      email: s.user?.email_addresses.find((e) => e.id === s.user.primary_email_address_id)?.email_address,
      msTimestamps: s.session.expire_at > 1e11,
      sameClient: s2.client?.id === s.client.id,
      sameUser: s2.user?.id === s.user.id,
    };
  }, [stack.api.url, ADA]);
  assert.deepEqual(r, {
    before: false, isSignedIn: true, sessionStatus: 'active', name: ADA.name, email: ADA.identifier,
    msTimestamps: true, sameClient: true, sameUser: true,
  });
  const log = await stack.api.log();
  const gets = log.filter((e) => e.path === '/v1/client' && e.method === 'GET');
  assert.ok(gets.every((e) => e.origin === stack.web.url), 'cross-origin requests from the page');
  assert.ok(gets.slice(1).every((e) => e.has_cookie), 'credentials included');
});

test('applyResponse (unbound): sign-in and sign-out answers apply at once, no GET; what is not an answer is refused', async () => {
  const r = await page.evaluate(async ([api, ada]) => {
    const { createClientManager, FapiError } = await import('/pkg/index.js');
    const { signIn, describeError } = await import('/helpers.js');
    const m = await createClientManager({ frontendApi: api });
    const { applyResponse, subscribe } = m;
    const events = [];
    subscribe((s) => events.push(s.cause));
    await m.load();
    const answer = await signIn(api, ada.identifier, ada.password);
    const s = applyResponse(answer);
    const again = applyResponse(JSON.stringify(answer));
    let bad;
    try {
      applyResponse('<!doctype html>');
    } catch (e) {
      bad = describeError(e, FapiError);
    }
    const refused = {};
    const cyclic = {};
    cyclic.self = cyclic;
    for (const [name, value] of Object.entries({
      response: new Response(JSON.stringify(answer)),
      promise: Promise.resolve(answer),
      bigint: { client: 1n },
      cyclic,
      empty: {},
      bytes: new TextEncoder().encode(JSON.stringify(answer)),
    })) {
      try {
        applyResponse(value);
        refused[name] = 'accepted';
      } catch (e) {
        const d = describeError(e, FapiError);
        refused[name] = d.isFapiError ? d.kind : `not a FapiError: ${d.name}`;
      }
    }
    const kept = m.getSnapshot() === s;
    // Sign out everywhere through the Frontend API directly: its answer carries the client
    // (sessions ended) as `response`, with `client: null`.
    const out = await fetch(`${api}/v1/client/sessions?_method=DELETE`, { method: 'POST', credentials: 'include' });
    const signedOut = applyResponse(await out.text());
    m.dispose();
    let disposed;
    try {
      applyResponse(answer);
    } catch (e) {
      disposed = describeError(e, FapiError).kind;
    }
    return {
      cause: s.cause,
      isSignedIn: s.isSignedIn,
      name: `${s.user?.first_name} ${s.user?.last_name}`,
      frozen: Object.isFrozen(s.session),
      sameSnapshot: again === s,
      events,
      bad: { isFapiError: bad?.isFapiError, kind: bad?.kind },
      refused,
      kept,
      signedOut: { cause: signedOut.cause, isSignedIn: signedOut.isSignedIn, client: !!signedOut.client },
      disposed,
    };
  }, [stack.api.url, ADA]);
  assert.deepEqual(r, {
    cause: 'piggyback', isSignedIn: true, name: ADA.name, frozen: true, sameSnapshot: true,
    // load() changes twice (to loading, then ready), then the sign-in and the sign-out.
    events: ['load', 'load', 'piggyback', 'piggyback'], bad: { isFapiError: true, kind: 'parse' },
    refused: { response: 'parse', promise: 'parse', bigint: 'parse', cyclic: 'parse', empty: 'parse', bytes: 'parse' },
    kept: true,
    signedOut: { cause: 'piggyback', isSignedIn: false, client: true },
    disposed: 'aborted',
  });
  const log = await stack.api.log();
  assert.equal(log.filter((e) => e.path === '/v1/client' && e.method === 'GET').length, 1, 'only the load');
});

test('dispose() with a request in flight rejects it with kind aborted, and every later call', async () => {
  await stack.api.control('/faults', { method: 'GET', path: '/v1/client', delay_ms: 20_000 });
  const started = Date.now();
  const r = await page.evaluate(async (api) => {
    const mod = await import('/pkg/index.js');
    const { failure } = await import('/helpers.js');
    const m = await mod.createClientManager({ frontendApi: api });
    let events = 0;
    m.subscribe(() => events++);
    const pending = failure(() => m.load(), mod.FapiError);
    const eventsBeforeDispose = events; // idle -> loading
    m.dispose();
    const inFlight = await pending;
    const later = [];
    for (const name of ['load', 'refresh', 'create', 'destroy']) later.push(await failure(() => m[name](), mod.FapiError));
    const unsub = m.subscribe(() => events++);
    unsub();
    m.dispose();
    return { inFlight, later, listenerCount: m.listenerCount, eventsAfterDispose: events - eventsBeforeDispose };
  }, stack.api.url);
  assert.ok(Date.now() - started < 15_000, 'the in-flight request was aborted, not waited for');
  assert.equal(r.inFlight.isFapiError, true);
  assert.equal(r.inFlight.kind, 'aborted');
  for (const l of r.later) {
    assert.equal(l.isFapiError, true);
    assert.equal(l.kind, 'aborted');
  }
  assert.equal(r.listenerCount, 0);
  assert.equal(r.eventsAfterDispose, 0);
});

async function wasmMemory(p) {
  return p.evaluate(async () => {
    const glue = await import('/pkg/fapi_session.js');
    return (await glue.default()).memory.buffer.byteLength;
  });
}

async function jsHeapUsed(p) {
  const cdp = await p.context().newCDPSession(p);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  } finally {
    await cdp.detach();
  }
}

test('memory: 10,000 subscribe/unsubscribe cycles leave listenerCount and wasm memory as they were', async () => {
  const r = await page.evaluate(async (api) => {
    const { createClientManager } = await import('/pkg/index.js');
    const m = await createClientManager({ frontendApi: api });
    await m.load();
    const keep = m.subscribe(() => {});
    const start = m.listenerCount;
    const memory = (await (await import('/pkg/fapi_session.js')).default()).memory;
    const warm = [];
    for (let i = 0; i < 100; i++) warm.push(m.subscribe(() => {}));
    warm.forEach((u) => u());
    const before = memory.buffer.byteLength;
    let peak = start;
    for (let i = 0; i < 10_000; i++) {
      const u = m.subscribe(() => i);
      peak = Math.max(peak, m.listenerCount);
      u();
    }
    const result = { start, peak, end: m.listenerCount, growth: memory.buffer.byteLength - before };
    keep();
    result.afterLast = m.listenerCount;
    m.dispose();
    return result;
  }, stack.api.url);
  assert.equal(r.start, 1);
  assert.equal(r.peak, 2);
  assert.equal(r.end, r.start);
  assert.equal(r.afterLast, 0);
  assert.ok(r.growth <= 64 * 1024, `wasm memory grew by ${r.growth} bytes`);
});

test('memory: 300 create/load/dispose cycles of managers grow neither wasm memory nor the JS heap', async () => {
  const cycles = (n) =>
    page.evaluate(
      async ([api, n]) => {
        const { createClientManager } = await import('/pkg/index.js');
        for (let i = 0; i < n; i++) {
          const m = await createClientManager({ frontendApi: api });
          m.subscribe(() => {});
          await m.load();
          if (i % 3 === 0) m.refresh(); // in flight at dispose
          m.dispose();
        }
      },
      [stack.api.url, n],
    );
  // A signed-in client, so every manager holds a real client, session and user.
  await page.evaluate(async ([api, ada]) => {
    const { signIn } = await import('/helpers.js');
    await signIn(api, ada.identifier, ada.password);
  }, [stack.api.url, ADA]);
  await cycles(50); // warm up: allocator pools, JIT, caches
  const wasmBefore = await wasmMemory(page);
  const heapBefore = await jsHeapUsed(page);
  await cycles(300);
  const wasmGrowth = (await wasmMemory(page)) - wasmBefore;
  const heapGrowth = (await jsHeapUsed(page)) - heapBefore;
  assert.ok(wasmGrowth <= 64 * 1024, `wasm memory grew by ${wasmGrowth} bytes over 300 managers`);
  // Measured: ~45 KB with dispose(); 300 managers left undisposed hold ~750 KB of JS heap
  // and ~2 MB of wasm memory.
  assert.ok(heapGrowth < 400 * 1024, `the JS heap grew by ${heapGrowth} bytes over 300 managers`);
});

test('seed dialect: sign in, refresh (timestamps in seconds), destroy with an empty DELETE body', async () => {
  const seed = await startMock(['--dialect', 'seed']);
  try {
    const r = await page.evaluate(async ([api, boss]) => {
      const { createClientManager } = await import('/pkg/index.js');
      const { signIn } = await import('/helpers.js');
      const m = await createClientManager({ frontendApi: api });
      await m.load();
      await signIn(api, boss.identifier, boss.password);
      const s = await m.refresh();
      const signedIn = {
        isSignedIn: s.isSignedIn,
        name: `${s.user.first_name} ${s.user.last_name}`,
        seedKeys: 'sign_in_attempt' in s.client && !('sign_in' in s.client),
        secondTimestamps: s.session.expire_at < 1e11 && s.session.expire_at > 1e9,
      };
      const d = await m.destroy();
      const after = await m.refresh();
      return {
        signedIn,
        destroyed: { client: d.client, session: d.session, user: d.user, isSignedIn: d.isSignedIn, status: d.status, error: d.error },
        afterRefresh: after.client,
      };
    }, [seed.url, BOSS]);
    assert.deepEqual(r.signedIn, { isSignedIn: true, name: BOSS.name, seedKeys: true, secondTimestamps: true });
    assert.deepEqual(r.destroyed, { client: null, session: null, user: null, isSignedIn: false, status: 'ready', error: null });
    assert.equal(r.afterRefresh, null, 'the client is gone on the server too');
    const del = (await seed.log()).find((e) => e.method === 'DELETE' && e.path === '/v1/client');
    assert.ok(del, 'a DELETE /v1/client was sent');
    assert.equal(del.raw_method, 'POST', 'as POST ?_method=DELETE (no preflight)');
    assert.equal(del.status, 200);
  } finally {
    await seed.stop();
  }
});

test('options: wasm source, initFapiSession + new ClientManager, methodOverride false, timeoutMs, credentials omit', async () => {
  await stack.api.control('/faults', { method: 'GET', path: '/v1/client', delay_ms: 5_000 });
  const r = await page.evaluate(async (api) => {
    const mod = await import('/pkg/index.js');
    const { failure } = await import('/helpers.js');
    const wasm = new URL('/pkg/fapi_session_bg.wasm', location.href);
    const first = await mod.createClientManager({ frontendApi: api, wasm, timeoutMs: 300, maxRetries: 0 });
    const timedOut = await failure(() => first.load(), mod.FapiError);
    first.dispose();
    await mod.initFapiSession();
    const direct = new mod.ClientManager({ frontendApi: api, methodOverride: false });
    const created = await direct.create();
    const destroyed = await direct.destroy();
    direct.dispose();
    const anonymous = await mod.createClientManager({ frontendApi: api, credentials: 'omit' });
    const created2 = await anonymous.create();
    const reloaded = await anonymous.refresh();
    anonymous.dispose();
    return {
      timedOut,
      created: created.client?.id ?? null,
      destroyed: destroyed.client,
      omitCreated: created2.client?.id ?? null,
      omitReloaded: reloaded.client?.id ?? null,
    };
  }, stack.api.url);
  assert.equal(r.timedOut.kind, 'timeout');
  assert.match(r.created, /^client_/);
  assert.equal(r.destroyed, null);
  const log = await stack.api.log();
  const put = log.find((e) => e.method === 'PUT');
  const del = log.find((e) => e.method === 'DELETE');
  assert.equal(put.raw_method, 'PUT', 'methodOverride: false sends a real PUT');
  assert.equal(del.raw_method, 'DELETE');
  assert.match(r.omitCreated, /^client_/);
  assert.equal(r.omitReloaded, null, "credentials: 'omit' never sends the cookie back");
});
