// The page side of `make bench`'s section 8: fapi-session beside the official clerk-js, each
// through its public API only, in pages of one mock that serves the site, clerk-js's
// browser bundle (/clerk/) and the Frontend API under /__clerk (bench/lib/peer.mjs runs it).
// Served at /bench/peer.js. One client per page: `peerLoad` first, then the others.
//
//   const p = await import('/bench/peer.js');
//   await p.peerLoad({ client: 'clerk-js', key, proxyUrl });   // ms of each start-up step
//   await p.peerApply({ changed: true });   // one refresh against the answer the mock was told to give

const now = () => performance.now();

/** Appends a script tag with `data` as its data attributes; resolves once it has run. */
function scriptTag(src, data) {
  const script = Object.assign(document.createElement('script'), { src });
  Object.assign(script.dataset, data);
  return new Promise((resolve, reject) => {
    script.addEventListener('load', resolve);
    script.addEventListener('error', () => reject(new Error(`${src} did not load`)));
    document.head.append(script);
  });
}

/** clerk-js: its browser bundle from a script tag with its data attributes (the documented
 * way; the bundle makes `window.Clerk`), then `Clerk.load()` with router hooks so that a
 * sign-out never navigates the page. */
const clerkJs = {
  async load({ key, proxyUrl }) {
    await scriptTag('/clerk/clerk.browser.js', { clerkPublishableKey: key, clerkProxyUrl: proxyUrl });
    const evaluated = now();
    await window.Clerk.load({ routerPush: () => {}, routerReplace: () => {} });
    if (!window.Clerk.loaded) throw new Error('clerk-js: load() resolved but Clerk.loaded is false');
    return { evaluated, signedIn: Boolean(window.Clerk.session) };
  },
  subscribe: (fn) => window.Clerk.addListener(fn, { skipInitialEmit: true }),
  /** What clerk-js itself does to bring its client up to date (on window focus): `touch`,
   * whose answer carries the client, which clerk-js applies and emits to every listener
   * (`GET /v1/client` answers `client: null`, and `clerk.client.reload()` then updates the
   * Client resource in place without calling any listener). */
  refresh: () => window.Clerk.session.touch(),
  getToken: () => window.Clerk.session.getToken(),
  sessionId: () => window.Clerk.session?.id ?? null,
};

/** fapi-session: the shipped package (/pkg/), through the same proxy and key. */
const fapiSession = {
  manager: null,
  async load({ key, proxyUrl }) {
    const { createClientManager } = await import('/pkg/index.js');
    const evaluated = now();
    this.manager = await createClientManager({ proxyUrl, publishableKey: key });
    const snap = await this.manager.load();
    if (snap.status !== 'ready') throw new Error(`fapi-session: load() resolved with status ${snap.status}`);
    return { evaluated, signedIn: snap.isSignedIn };
  },
  subscribe(fn) {
    return this.manager.subscribe(fn);
  },
  refresh() {
    return this.manager.refresh();
  },
  getToken() {
    return this.manager.getToken();
  },
  sessionId() {
    return this.manager.session?.id ?? null;
  },
};

const CLIENTS = { 'clerk-js': clerkJs, 'fapi-session': fapiSession };

/** This page's client and what its listener saw. */
const state = { client: null, calls: 0, onCall: null, tokens: null };

/**
 * Loads `client` and subscribes one counting listener. Times, in ms from the call: `fetched`
 * (the script or entry module fetched and evaluated), `ready` (clerk-js: `Clerk.load()`
 * resolved and `Clerk.loaded`; fapi-session: `createClientManager()` and `load()` resolved).
 *
 * @param {{ client: 'clerk-js'|'fapi-session', key: string, proxyUrl: string }} o
 */
export async function peerLoad({ client, key, proxyUrl }) {
  const c = CLIENTS[client];
  const t0 = now();
  const { evaluated, signedIn } = await c.load({ key, proxyUrl });
  const ready = now();
  state.client = c;
  c.subscribe(() => {
    state.calls++;
    if (state.onCall) state.onCall();
  });
  return { fetchedMs: evaluated - t0, readyMs: ready - t0, signedIn, sessionId: c.sessionId() };
}

/** The active session's id as the client sees it. */
export function peerSessionId() {
  return state.client.sessionId();
}

/** Listener calls so far. */
export function peerCalls() {
  return state.calls;
}

/**
 * One refresh against the answer the runner queued at the mock. `changed`: timed from the
 * call to the listener's call (then the promise is awaited, untimed); else from the call to
 * the promise. µs, and the listener calls between the call and the promise.
 */
export async function peerApply({ changed }) {
  const before = state.calls;
  let t0;
  let us;
  if (changed) {
    const called = new Promise((resolve) => {
      state.onCall = resolve;
    });
    t0 = now();
    const done = state.client.refresh();
    // The listener may come after the promise too: then it has 2 s more.
    const late = done.then(() => Promise.race([called, new Promise((resolve) => setTimeout(() => resolve('missed'), 2000))]));
    const missed = (await Promise.race([called, late])) === 'missed';
    us = (now() - t0) * 1e3;
    state.onCall = null;
    await done;
    // The refresh resolved and no listener was called within 2 s of it: the runner counts it.
    if (missed) return { us: null, calls: state.calls - before, missed: true };
  } else {
    t0 = now();
    await state.client.refresh();
    us = (now() - t0) * 1e3;
  }
  return { us, calls: state.calls - before };
}

/** Starts asking for a token every `everyMs` (the first at once); `peerTokensStop` ends it. */
export function peerTokensStart({ everyMs }) {
  const t = { calls: 0, errors: [], timer: null };
  const ask = () => {
    t.calls++;
    state.client.getToken().catch((e) => t.errors.push(String(e && e.message)));
  };
  ask();
  t.timer = setInterval(ask, everyMs);
  state.tokens = t;
  return { focused: document.hasFocus(), visibility: document.visibilityState };
}

export function peerTokensStop() {
  const t = state.tokens;
  clearInterval(t.timer);
  state.tokens = null;
  return { calls: t.calls, errors: t.errors };
}
