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
