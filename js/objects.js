// Builds the snapshot's JS objects from JSON text the wasm core has already checked.
// Parsing with the browser's JSON.parse is the fastest way to make JS objects; doing the
// assembly here keeps it to one boundary crossing per object instead of one per property.

/** Freezes `root` and everything reachable that is not frozen yet (reused parts already
 * are), without recursion: the core caps nesting, but no stack is spent on it anyway. */
function freezeDeep(root) {
  const stack = [root];
  while (stack.length) {
    const o = stack.pop();
    if (o === null || typeof o !== 'object' || Object.isFrozen(o)) continue;
    Object.freeze(o);
    for (const k in o) {
      const v = o[k];
      if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) stack.push(v);
    }
  }
  return root;
}

/** A frozen object from JSON text. */
export function parseFrozen(text) {
  return freezeDeep(JSON.parse(text));
}

/** A frozen session from its shell (JSON with `user` punched out) and its user object. */
export function buildSession(shell, user) {
  const session = JSON.parse(shell);
  if (user !== undefined) session.user = user;
  return freezeDeep(session);
}

/** A frozen client from its shell (JSON with `sessions` punched out) and its sessions. */
export function buildClient(shell, sessions) {
  const client = JSON.parse(shell);
  if (sessions !== undefined) client.sessions = Object.freeze(sessions);
  return freezeDeep(client);
}

/** The `sessions` of a snapshot without a client (shared: always the same array). */
export const noSessions = Object.freeze([]);

/** A frozen array of already frozen items. */
export function frozenList(items) {
  return items.length ? Object.freeze(items) : noSessions;
}

/** The frozen snapshot object. */
export function buildSnapshot(status, client, session, user, isSignedIn, error, version, cause, nextRetryAt, sessions) {
  return Object.freeze({
    status,
    client,
    session,
    user,
    isSignedIn,
    error,
    version,
    cause,
    nextRetryAt,
    sessions: sessions === undefined ? noSessions : sessions,
  });
}

/** Frozen error items from the JSON text of a Clerk `errors` array. */
export function parseErrors(text) {
  return text === undefined ? [] : parseFrozen(text);
}

/** Calls `listener(snapshot)`; a throw is reported, never propagated to other listeners. */
export function callListener(listener, snapshot) {
  try {
    listener(snapshot);
  } catch (e) {
    console.error('fapi-session: a listener threw', e);
  }
}

/** The transport's `fetch` (src/web/transport.rs): `form`, when given, is sent as a
 * form-encoded body. `no-store`: the client is live state, never an HTTP cache's copy. */
export function send(url, method, form, credentials, authorization, signal) {
  const headers = {};
  const init = { method, credentials, cache: 'no-store', signal, headers };
  if (form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    init.body = form;
  }
  // Cookie-less mode: the client token is the credential.
  if (authorization !== undefined) headers.Authorization = authorization;
  return fetch(url, init);
}

/** `store[name](arg)` of a `clientToken` store, as a promise (a throw rejects it). */
export function callStore(store, name, arg) {
  try {
    return Promise.resolve(store[name](arg));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** The page's first-party cookie `name`, or undefined (also where there is no document). */
export function readCookie(name) {
  if (typeof document === 'undefined') return undefined;
  for (const pair of document.cookie.split(';')) {
    const at = pair.indexOf('=');
    if (pair.slice(0, at).trim() === name && at + 1 < pair.length) return pair.slice(at + 1);
  }
  return undefined;
}

/** Writes the page's cookie `name` for `maxAge` seconds (Path=/, SameSite=Lax, Secure on
 * https); an undefined `value` removes it. */
export function writeCookie(name, value, maxAge) {
  if (typeof document === 'undefined') return;
  const secure = typeof location !== 'undefined' && location.protocol === 'https:' ? '; Secure' : '';
  const age = value === undefined ? 0 : Math.floor(maxAge);
  document.cookie = `${name}=${value === undefined ? '' : value}; Path=/; SameSite=Lax; Max-Age=${age}${secure}`;
}

/** Takes the query parameter `name` out of the page's address (history.replaceState, the
 * rest of the URL kept) and returns it; undefined when it is not there. */
export function takeFromUrl(name) {
  if (typeof location === 'undefined' || typeof history === 'undefined') return undefined;
  const url = new URL(location.href);
  const value = url.searchParams.get(name);
  if (!value) return undefined;
  url.searchParams.delete(name);
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return value;
}
