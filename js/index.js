// fapi-session: the package's entry point.
//
// Importing this module touches neither `window`, `document` nor the network; the wasm is
// fetched on the first `createClientManager()` (or `initFapiSession()`), once.

import initWasm, { RawClientManager } from './fapi_session.js';
import { FapiError } from './fapi_error.js';

export { FapiError };

/** The snapshot before anything is loaded, and on the server: status `idle`, nobody
 * signed in. Frozen; the adapters render it during server rendering and hydration. */
export const idleSnapshot = Object.freeze({
  status: 'idle',
  client: null,
  session: null,
  user: null,
  isSignedIn: false,
  error: null,
  version: 0,
  cause: null,
  nextRetryAt: null,
  sessions: Object.freeze([]),
});

let loading = null;
let loaded = false;

/** Whether this global scope can hold a browser session (a page or a worker). */
function inBrowser() {
  return (
    (typeof window === 'object' && window !== null && typeof document === 'object') ||
    (typeof WorkerGlobalScope === 'function' && globalThis instanceof WorkerGlobalScope)
  );
}

/**
 * Loads and instantiates the wasm module once; later calls return the same promise.
 * `wasm` optionally overrides where it comes from: a URL, a `Response`, a
 * `WebAssembly.Module` or the bytes. By default it is `fapi_session_bg.wasm` next to
 * this file, found with `new URL(..., import.meta.url)` so bundlers copy it.
 */
export function initFapiSession(wasm) {
  if (!loading) {
    if (!inBrowser()) {
      return Promise.reject(
        new FapiError('fapi-session runs in a browser (a page or a worker), not here', {
          kind: 'config',
        }),
      );
    }
    loading = initWasm(wasm === undefined ? undefined : { module_or_path: wasm }).then(
      () => {
        loaded = true;
      },
      (cause) => {
        loading = null;
        throw new FapiError(`the fapi-session wasm module could not be loaded: ${cause}`, {
          kind: 'config',
          cause,
        });
      },
    );
  }
  return loading;
}

/** Loads the wasm (once), then constructs a manager. Rejects with a `FapiError`. */
export async function createClientManager(options) {
  await initFapiSession(options && options.wasm);
  return new ClientManager(options);
}

const METHODS = [
  'load',
  'refresh',
  'create',
  'destroy',
  'applyResponse',
  'getSnapshot',
  'subscribe',
  'dispose',
  'signIn',
  'signOut',
  'setActive',
  'getToken',
  'request',
];

/** A `config` FapiError for a bad argument. */
function badArgument(message) {
  return new FapiError(message, { kind: 'config' });
}

/** Deep-frozen `response` of an answer's text (`null` when it has none; a bare answer, not an envelope, is its own response). */
function frozenResponse(text) {
  const body = text ? JSON.parse(text) : null;
  // An envelope's `response`; a bare answer (`GET /v1/environment`) is its own response.
  const enveloped = body !== null && typeof body === 'object' && ('response' in body || 'client' in body);
  const root = enveloped ? (body.response ?? null) : body;
  const stack = [root];
  while (stack.length) {
    const o = stack.pop();
    if (o === null || typeof o !== 'object' || Object.isFrozen(o)) continue;
    Object.freeze(o);
    for (const k in o) stack.push(o[k]);
  }
  return root;
}

/** A session id or template as a path segment (refused when it could leave the segment). */
function segment(value, what) {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) {
    throw badArgument(`${what} must be a non-empty id (letters, digits, '_' or '-')`);
  }
  return value;
}

/** The JSON text of what was given to `applyResponse`; a `FapiError` (kind 'parse') for
 * what cannot be one: a `Response` or a promise (not read yet), a cyclic or BigInt value. */
function answerText(answer) {
  const refuse = (why, cause) =>
    new FapiError(`applyResponse(answer): ${why}`, { kind: 'parse', cause });
  if (typeof answer === 'string') return answer;
  if (typeof Response !== 'undefined' && answer instanceof Response) {
    throw refuse('a Response: pass its body (await response.text() or .json())');
  }
  if (answer !== null && typeof answer === 'object' && typeof answer.then === 'function') {
    throw refuse('a promise: await it first');
  }
  let text;
  try {
    text = JSON.stringify(answer);
  } catch (e) {
    throw refuse('not a JSON value', e);
  }
  if (typeof text !== 'string') throw refuse('not a JSON value');
  return text;
}

function disposedError() {
  return new FapiError('the manager was disposed', { kind: 'aborted' });
}

/**
 * Talks to the Frontend API's `/v1/client`, caches the client and its active session, and
 * tells subscribers when they change. Every method works unbound.
 */
export class ClientManager {
  #raw;
  #snapshot;
  #disposed = false;

  /** Valid once the wasm is loaded (`createClientManager` does that). Never touches the
   * network or `window`. Throws a `FapiError` of kind `config` for bad options. */
  constructor(options) {
    if (!loaded) {
      throw new FapiError(
        'the wasm module is not loaded: use createClientManager() or await initFapiSession() first',
        { kind: 'config' },
      );
    }
    this.#raw = new RawClientManager(options, (snapshot) => {
      this.#snapshot = snapshot;
    });
    this.#snapshot = this.#raw.getSnapshot();
    for (const m of METHODS) this[m] = this[m].bind(this);
  }

  /** The first GET /v1/client; later calls resolve with the loaded state or join the
   * request in flight. */
  load() {
    return this.#disposed ? Promise.reject(disposedError()) : this.#raw.load();
  }

  /** GET /v1/client now (joins a GET already in flight). */
  refresh() {
    return this.#disposed ? Promise.reject(disposedError()) : this.#raw.refresh();
  }

  /** PUT /v1/client: creates or replaces the client. */
  create() {
    return this.#disposed ? Promise.reject(disposedError()) : this.#raw.create();
  }

  /** DELETE /v1/client: client, session and user become null. */
  destroy() {
    return this.#disposed ? Promise.reject(disposedError()) : this.#raw.destroy();
  }

  /** Applies the client piggybacked on a Frontend API answer your code got itself (a
   * sign-in, say): the answer's parsed JSON or its text. Returns the snapshot; throws a
   * FapiError for an envelope it cannot read. */
  applyResponse(answer) {
    if (this.#disposed) throw disposedError();
    return this.#raw.applyResponse(answerText(answer));
  }

  /** POST /v1/client/sign_ins with a password: the answer's client is applied (cause
   * 'signIn'); resolves with the frozen sign-in object (its `status` may ask for more,
   * e.g. 'needs_second_factor': go on with request()). A wrong password rejects with a
   * FapiError of kind 'http', status 422, code 'form_password_incorrect'. */
  signIn(params) {
    const { identifier, password } = params || {};
    if (typeof identifier !== 'string' || !identifier || typeof password !== 'string') {
      return Promise.reject(badArgument('signIn({ identifier, password }): both must be strings'));
    }
    const form = new URLSearchParams({ strategy: 'password', identifier, password }).toString();
    return this.#send('signIn', 'POST', '/v1/client/sign_ins', form).then(frozenResponse);
  }

  /** Ends every session of this browser (DELETE /v1/client/sessions), or one
   * (`{ sessionId }`: POST /v1/client/sessions/{id}/end). Resolves with the snapshot
   * (cause 'signOut'); their tokens are forgotten. */
  signOut(options) {
    const id = options && options.sessionId;
    if (id === undefined || id === null) {
      return this.#send('signOut', 'DELETE', '/v1/client/sessions').then(() => this.#snapshot);
    }
    return this.#session('signOut', id, 'end', 'signOut({ sessionId })');
  }

  /** Makes a signed-in session of this client the active one (POST
   * /v1/client/sessions/{id}/touch); resolves with the snapshot (cause 'setActive'). */
  setActive(sessionId) {
    return this.#session('setActive', sessionId, 'touch', 'setActive(sessionId)');
  }

  /** The active session's JWT for your backend (`Authorization: Bearer ...`), from memory
   * while fresh, else POST /v1/client/sessions/{id}/tokens[/{template}]; null when nobody
   * is signed in. Concurrent calls share one request. */
  getToken(options) {
    if (this.#disposed) return Promise.reject(disposedError());
    const { template, skipCache } = options || {};
    try {
      if (template !== undefined && template !== null) segment(template, 'getToken({ template })');
      return this.#raw.getToken(template || '', skipCache === true);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Any Frontend API path (`/v1/...`) with this manager's credentials and method
   * override; `body` (an object of strings or URLSearchParams) is form-encoded. A
   * piggybacked client is applied (cause 'request'); resolves with the frozen `response`,
   * rejects with a FapiError. */
  request(path, init) {
    const { method = init && init.body !== undefined ? 'POST' : 'GET', body } = init || {};
    let form;
    if (body !== undefined && body !== null) {
      if (typeof body !== 'object') return Promise.reject(badArgument('request(path, { body }): an object or URLSearchParams'));
      form = new URLSearchParams(body).toString();
    }
    return this.#send('request', String(method).toUpperCase(), path, form).then(frozenResponse);
  }

  #session(op, id, action, what) {
    let path;
    try {
      path = `/v1/client/sessions/${segment(id, what)}/${action}`;
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#send(op, 'POST', path).then(() => this.#snapshot);
  }

  #send(op, method, path, form) {
    if (this.#disposed) return Promise.reject(disposedError());
    try {
      return this.#raw.send(op, method, typeof path === 'string' ? path : '', form);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** The current state: the same object until something changes. */
  getSnapshot() {
    return this.#snapshot;
  }

  /** Calls `listener(snapshot)` after every change (never during this call). Returns an
   * idempotent unsubscribe function. */
  subscribe(listener) {
    if (typeof listener !== 'function') {
      throw new TypeError('subscribe(listener): listener must be a function');
    }
    if (this.#disposed) return () => {};
    const raw = this.#raw;
    const id = raw.subscribe(listener);
    let subscribed = true;
    return () => {
      if (subscribed) {
        subscribed = false;
        if (!this.#disposed) raw.unsubscribe(id);
      }
    };
  }

  /** The cached client, or null. */
  get client() {
    return this.#snapshot.client;
  }

  /** The active session, or null. */
  get session() {
    return this.#snapshot.session;
  }

  /** The active session's user, or null. */
  get user() {
    return this.#snapshot.user;
  }

  /** How many listeners are subscribed. */
  get listenerCount() {
    return this.#disposed ? 0 : this.#raw.listenerCount;
  }

  /** Stops everything: requests in flight reject with kind 'aborted', listeners are
   * dropped, the wasm memory is released. Idempotent. */
  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#raw.dispose();
    this.#raw.free();
  }
}
