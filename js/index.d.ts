// Types of fapi-session: the manager, its snapshot and errors, and the Frontend API's wire
// objects (snake_case, exactly as the API sends them).
//
// The wire objects cover both dialects the manager reads: today's API (the OpenAPI spec:
// `sign_in`/`sign_up`, timestamps in milliseconds) and the 2021 seed document
// (`sign_in_attempt`/`sign_up_attempt`, timestamps in seconds). Fields that only one dialect
// (or only some deployments) sends are optional. Every object also keeps the fields this
// version does not know (the API grows): they are typed `unknown` through an index
// signature. Everything in a snapshot is deeply frozen, hence `readonly` throughout.

// ---------------------------------------------------------------------------------------
// The manager
// ---------------------------------------------------------------------------------------

/** Where the wasm module comes from, for `initFapiSession()` and `options.wasm`: a URL, a
 * `Response`, the bytes or a compiled `WebAssembly.Module` (or a promise of one). */
export type WasmSource =
  | string
  | URL
  | Request
  | Response
  | BufferSource
  | WebAssembly.Module
  | Promise<string | URL | Request | Response | BufferSource | WebAssembly.Module>;

/** Where the Frontend API is: one of `frontendApi`, `publishableKey` or `proxyUrl`
 * (`proxyUrl` may come with a `publishableKey`, which then says the instance's kind). */
export type FrontendApiLocation =
  | { frontendApi: string; publishableKey?: never; proxyUrl?: never }
  | { publishableKey: string; frontendApi?: never; proxyUrl?: string }
  | { proxyUrl: string; frontendApi?: never; publishableKey?: string };

/** A place to keep the client token of cookie-less mode; each method may return a promise. */
export interface ClientTokenStore {
  /** The stored token, or null when there is none. */
  get(): string | null | Promise<string | null>;
  /** Keeps a new token (the Frontend API answered it in `Authorization`). */
  set(token: string): void | Promise<void>;
  /** Forgets the token (after `destroy()`). */
  remove(): void | Promise<void>;
}

/** Options of a {@link ClientManager}. Checked at construction (a bad value throws a
 * {@link FapiError} of kind `config` naming the option). */
export type ClientManagerOptions = FrontendApiLocation & ClientManagerSettings;

/** Everything but where the Frontend API is; see {@link ClientManagerOptions}. */
export interface ClientManagerSettings {
  /**
   * Origin of the Frontend API, e.g. `"https://clerk.example.com"`: scheme, host and port
   * only (no path). Plain `http://` is accepted only for loopback hosts (`localhost`,
   * `*.localhost`, `127.0.0.0/8`, `[::1]`), so credentials never travel in clear text.
   * A development host (`*.accounts.dev`, ...) means a development instance.
   */
  frontendApi?: string;
  /**
   * The instance's publishable key: `pk_live_` (production) or `pk_test_` (development)
   * followed by base64 of `<frontend api host>$`; the Frontend API is `https://<host>`
   * (`http://` for a loopback host). A development instance keeps the client in a dev
   * browser: `POST /v1/dev_browser` once, its JWT in a first-party `__clerk_db_jwt`
   * cookie on your site, sent with every request (third-party cookies are not needed).
   */
  publishableKey?: string;
  /**
   * A proxy of the Frontend API on your own domain, e.g. `https://app.example.com/__clerk`
   * (an absolute URL with a path; https, or http to a loopback host): requests go to
   * `<proxyUrl>/v1/...`, so the client's cookie is first-party.
   */
  proxyUrl?: string;
  /**
   * Cookie-less mode, for iframes, browser extensions and native shells (Capacitor,
   * Tauri, Electron): requests carry `_is_native=1` and `Authorization: <client token>`
   * with credentials `'omit'`; a token in an answer's `Authorization` header replaces the
   * stored one; `destroy()` removes it. `'memory'` keeps it for the page's life; a
   * {@link ClientTokenStore} keeps it where you choose (e.g. `chrome.storage`, a
   * keychain).
   */
  clientToken?: 'memory' | ClientTokenStore;
  /** `RequestInit.credentials` of every request. Default `'include'`: the client's cookie
   * lives on the Frontend API's domain. */
  credentials?: 'include' | 'same-origin' | 'omit';
  /** Default `true`: PUT and DELETE go as `POST ?_method=PUT|DELETE` with a form body, so
   * no CORS preflight happens (as Clerk's own SDK does). */
  methodOverride?: boolean;
  /** Deadline of each request in milliseconds (a positive number). Default `10000`; a
   * request over it rejects with kind `timeout`. */
  timeoutMs?: number;
  /** Retries of a failed request (0 to 20; default 4; 0 disables retrying). Reads are
   * retried after a network error, a timeout, a 5xx or a 429; `create()`/`destroy()` only
   * after a 429. The promise settles after the last attempt. */
  maxRetries?: number;
  /** The first backoff step in ms (default 500); each retry doubles it, with jitter. */
  retryBaseMs?: number;
  /** The largest backoff step in ms (default 30000). A `Retry-After` may ask for longer
   * (honoured up to 10 minutes). */
  retryCapMs?: number;
  /** Refresh when the window gets focus (default `true`; only while subscribed). */
  revalidateOnFocus?: boolean;
  /** Refresh when the page becomes visible (default `true`; only while subscribed). */
  revalidateOnVisible?: boolean;
  /** Refresh when the browser comes back online (default `true`; only while subscribed). */
  revalidateOnOnline?: boolean;
  /** Refresh when the page is restored from the back/forward cache (default `true`; only
   * while subscribed). */
  revalidateOnPageShow?: boolean;
  /** Keep the tabs of this origin in step (default `true`). When this tab's own
   * `refresh()`, `create()`, `destroy()` or `applyResponse()` changes who is signed in
   * (the client, the active session or `isSignedIn`; a `create()`, `destroy()` or
   * `applyResponse()` before anything was loaded counts),
   * it tells the other tabs over a `BroadcastChannel` named after `frontendApi`; a tab that
   * hears it refreshes from the server (cause `'broadcast'`, not throttled; after a GET
   * already in flight; if its page is hidden, once it becomes visible). The message
   * carries no data; token and `last_active_at` churn is not announced. Listening needs a
   * subscriber, like the other revalidations. `false`: neither announce nor listen. */
  revalidateOnBroadcast?: boolean;
  /** At most one revalidation per this many ms (default 5000; 0: no throttle). A refresh
   * for another tab's announcement is not throttled. */
  revalidateThrottleMs?: number;
  /** A session token is handed out by `getToken()` until this many ms before its `exp`
   * (default 10000), on the local clock corrected by the server's `Date`. */
  tokenLeewayMs?: number;
  /** Default `false`. `true`: keep the active session's token in a first-party `__session`
   * cookie (Path=/, SameSite=Lax, Secure on https, Max-Age to the token's expiry; removed
   * on sign-out), for server-rendered apps whose server reads it, as Clerk does. Without
   * it no token is ever stored: no cookie, no `localStorage`, no IndexedDB. */
  sessionCookie?: boolean;
  /** Only for `createClientManager`: where the wasm module comes from, the first time it is
   * loaded (see {@link initFapiSession}). Default: `fapi_session_bg.wasm` beside the
   * package's entry. */
  wasm?: WasmSource;
}

/** Readiness of a manager: `idle` before `load()`, `loading` during the first load only,
 * `ready` after a good answer (later refreshes never go back to `loading`), `error` if the
 * first load failed with nothing cached. */
export type SnapshotStatus = 'idle' | 'loading' | 'ready' | 'error';

/** What made the last change: the method whose answer (or start, for the first
 * `loading`) changed the state (`'piggyback'`: `applyResponse()`; `'token'`: the refresh a
 * `getToken()` made after the tokens endpoint answered 401 or 404); a revalidation's
 * browser event (`'focus'`, `'visible'`, `'online'`, `'pageshow'`); `'broadcast'` when another tab announced a sign-in, sign-out
 * or new client (see `revalidateOnBroadcast`); `'expiry'` when the active session's lifetime
 * ran out locally; `'error'` for a failure; `null` before any change. */
export type SnapshotCause =
  | 'load'
  | 'refresh'
  | 'create'
  | 'destroy'
  | 'piggyback'
  | 'signIn'
  | 'signOut'
  | 'setActive'
  | 'request'
  | 'token'
  | 'focus'
  | 'visible'
  | 'online'
  | 'pageshow'
  | 'broadcast'
  | 'expiry'
  | 'error'
  | null;

/**
 * The manager's state at one moment. A new, frozen object after every change; the same
 * object until then (so `useSyncExternalStore` and memoization work). Unchanged parts of
 * the client (the user, other sessions) keep their object identity across changes.
 */
export interface Snapshot {
  /** Readiness; see {@link SnapshotStatus}. */
  readonly status: SnapshotStatus;
  /** The cached client, or `null` (none yet, or destroyed). */
  readonly client: Client | null;
  /** The active session: the entry of `client.sessions` whose id is
   * `last_active_session_id` and whose status is `active` or `pending`; else `null`. */
  readonly session: Session | null;
  /** The active session's user, or `null`. */
  readonly user: User | null;
  /** `session?.status === 'active'` (a `pending` session has unfinished tasks), and its
   * `expire_at`/`abandon_at` has not passed on the local clock (corrected for the server's)
   * while the server could not be asked. */
  readonly isSignedIn: boolean;
  /** The last failure, or `null`; the next good answer clears it. A failure after a good
   * answer keeps `status: 'ready'` and the cached client. */
  readonly error: FapiError | null;
  /** +1 on every change (starts at 0). */
  readonly version: number;
  /** What made the last change. */
  readonly cause: SnapshotCause;
  /** When the scheduled retry of a failed request goes out (ms since the epoch, local
   * clock), or `null` when none is scheduled. */
  readonly nextRetryAt: number | null;
  /** The client's signed-in sessions (status `active` or `pending`), in the client's
   * order: the accounts a switcher offers. The same frozen array while they are unchanged. */
  readonly sessions: readonly Session[];
}

/** What `request()` sends: a method (default `GET`, or `POST` with a body) and a body,
 * form-encoded (`application/x-www-form-urlencoded`, as the Frontend API takes it). */
export interface RequestInit {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: Record<string, string> | URLSearchParams;
}

/** Options of `getToken()`. */
export interface GetTokenOptions {
  /** A JWT template's name: `POST /v1/client/sessions/{id}/tokens/{template}`. */
  template?: string;
  /** Ask the server even if a fresh token is cached. */
  skipCache?: boolean;
}

/** A subscriber: called once per change, after the state is updated, with the new
 * snapshot. A throw is reported with `console.error` and the other listeners still run. */
export type SnapshotListener = (snapshot: Snapshot) => void;

/** Removes a listener. Idempotent. */
export type Unsubscribe = () => void;

/**
 * Loads and instantiates the wasm module, once: later calls return the same promise (a
 * failed attempt can be retried). `createClientManager` calls it for you; call it yourself
 * before `new ClientManager(...)`. Rejects with a {@link FapiError} of kind `config` when
 * the module cannot be loaded or when not running in a browser (a page or a worker).
 *
 * @param wasm where the module comes from; default `fapi_session_bg.wasm` next to the
 *   package's entry, found with `new URL(..., import.meta.url)` so bundlers copy it.
 */
export function initFapiSession(wasm?: WasmSource): Promise<void>;

/**
 * Loads the wasm (once), then constructs a manager. Nothing is requested until `load()`.
 * Rejects with a {@link FapiError} of kind `config` for bad options, outside a browser, or
 * when the wasm cannot be loaded.
 *
 * @example
 * const manager = await createClientManager({ frontendApi: 'https://clerk.example.com' });
 * manager.subscribe((s) => render(s));
 * await manager.load();
 */
export function createClientManager(options: ClientManagerOptions): Promise<ClientManager>;

/** The snapshot before anything is loaded, and on the server: status `'idle'`, nobody signed
 * in, frozen. The React and Vue adapters render it during server rendering and hydration. */
export declare const idleSnapshot: Snapshot;

/**
 * Talks to the Frontend API's `/v1/client`, caches the client and its active session, and
 * tells subscribers when they change. Every method is bound: it works when passed around
 * unbound (`const { subscribe, getSnapshot } = manager`).
 *
 * Promises reject with a {@link FapiError}; the failure is also recorded in
 * `getSnapshot().error` (except kind `aborted`).
 */
export class ClientManager {
  /**
   * Valid once the wasm is loaded (`await initFapiSession()`, or use
   * `createClientManager`). Never touches the network or `window`. Throws a
   * {@link FapiError} of kind `config` for bad options or before the wasm is loaded.
   */
  constructor(options: ClientManagerOptions);
  /** The first `GET /v1/client`. Later calls resolve with the loaded state, or join the
   * request in flight; they ask nothing. */
  load(): Promise<Snapshot>;
  /** `GET /v1/client` now (joins a GET already in flight). An answer equal to what is
   * cached is no change: no event, the same snapshot. */
  refresh(): Promise<Snapshot>;
  /** `PUT /v1/client`: a new client replaces the current one (signed out). */
  create(): Promise<Snapshot>;
  /** `DELETE /v1/client`: afterwards the client, session and user are `null`. */
  destroy(): Promise<Snapshot>;
  /**
   * Applies the client in a Frontend API answer your code got itself, at once and with no
   * request (cause `'piggyback'`): a sign-in (`POST /v1/client/sign_ins`) or a session
   * ended (`/v1/client/sessions/{id}/end`) piggyback it as `client`; a sign-out of every
   * session (`DELETE /v1/client/sessions`) answers it as `response` with `client: null`,
   * which is read too. `answer` is the envelope as text (best: byte for byte what the
   * server sent, so the next identical GET is recognised as such) or parsed. A client
   * older (by `updated_at`) than the cached one is ignored; GETs in flight are discarded
   * as older news. An envelope with no client in it changes nothing. Returns the
   * snapshot. Throws a {@link FapiError}, leaving the state as it was: kind `parse` for
   * what is not a Frontend API envelope (a `Response` or a promise not read yet, `{}`,
   * malformed JSON, a malformed client), kind `http` (no `status`) for an `errors` answer
   * with no client in it, such as a wrong password; kind `aborted` after `dispose()`.
   */
  applyResponse(answer: string | Envelope | ApiErrorBody): Snapshot;
  /**
   * Signs in with a password (`POST /v1/client/sign_ins`, `strategy=password`). Works on a
   * client that already has sessions: the new session becomes the active one and
   * `sessions` lists every signed-in one. The answer's client is applied (cause
   * `'signIn'`). Resolves with the frozen sign-in object: its `status` is `'complete'`,
   * or asks for more (`'needs_second_factor'`, ...: go on with `request()`). A wrong
   * password rejects with a {@link FapiError} of kind `http`, status 422, code
   * `form_password_incorrect` (`form_identifier_not_found` for an unknown user); a failed
   * sign-in is not recorded in `snapshot.error`.
   */
  signIn(params: { identifier: string; password: string }): Promise<SignIn>;
  /** Ends every session of this browser (`DELETE /v1/client/sessions`; the client stays),
   * or only `sessionId`'s (`POST /v1/client/sessions/{id}/end`). Resolves with the
   * snapshot (cause `'signOut'`); the ended sessions' tokens are forgotten. */
  signOut(options?: { sessionId?: string | null | undefined }): Promise<Snapshot>;
  /** Makes a signed-in session of this client the active one
   * (`POST /v1/client/sessions/{id}/touch`); resolves with the snapshot (cause
   * `'setActive'`). */
  setActive(sessionId: string): Promise<Snapshot>;
  /**
   * The active session's JWT, for your own backend (`Authorization: Bearer <token>`), or
   * `null` when nobody is signed in. Served from memory while fresh (until `exp` minus
   * `tokenLeewayMs`; right after `load()` the session's `last_active_token` is used), else
   * `POST /v1/client/sessions/{id}/tokens[/{template}]`; concurrent calls share one
   * request. A token asked for during its lifetime is renewed shortly before it goes stale
   * while the page is visible, so frequent callers never wait; an idle or hidden tab sends
   * nothing. Tokens minted by one tab are adopted by the origin's other tabs with the same
   * client and active session. Minting a token never changes the snapshot. After a
   * sign-out it resolves `null` with no request (an answer that arrives after the sign-out
   * is discarded); a 401/404 from the endpoint refreshes the client and resolves `null` if
   * the session is gone. Rejects with a {@link FapiError} otherwise (reads' retry policy).
   */
  getToken(options?: GetTokenOptions): Promise<string | null>;
  /**
   * Any Frontend API path (`/v1/...`) with this manager's credentials and method override
   * (PUT, PATCH, DELETE go as `POST ?_method=...`), e.g. a second factor:
   * `request('/v1/client/sign_ins/' + id + '/attempt_second_factor', { method: 'POST',
   * body: { strategy: 'totp', code } })`. A piggybacked client is applied (cause
   * `'request'`). Resolves with the envelope's frozen `response` (`null` when it has none);
   * rejects with a {@link FapiError} (kind `http` with Clerk's `errors`; kind `config` for a
   * path outside `/v1/` or an unknown method). Runs after the mutations before it.
   */
  request(path: string, init?: RequestInit): Promise<unknown>;
  /** The current state: the same object until something changes. */
  getSnapshot(): Snapshot;
  /**
   * Calls `listener(snapshot)` once per change, after the state is updated; never during
   * this call. A listener may unsubscribe itself or others, or call any method, during an
   * event. Returns an idempotent unsubscribe function. Throws `TypeError` if `listener` is
   * not a function; after `dispose()` it returns a no-op.
   */
  subscribe(listener: SnapshotListener): Unsubscribe;
  /** The cached client, or `null` (`getSnapshot().client`). */
  readonly client: Client | null;
  /** The active session, or `null` (`getSnapshot().session`). */
  readonly session: Session | null;
  /** The active session's user, or `null` (`getSnapshot().user`). */
  readonly user: User | null;
  /** How many listeners are subscribed (0 after `dispose()`); for leak checks. */
  readonly listenerCount: number;
  /** Stops everything: requests in flight (and waiting retries) and every later call
   * reject with kind `aborted`; listeners, timers and browser event handlers are dropped;
   * the wasm memory is released. Idempotent. Call it when the manager is no longer
   * needed: an undisposed manager is never freed. */
  dispose(): void;
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/**
 * What went wrong, to act on:
 * - `network`: no answer (offline, DNS, CORS refused, connection dropped), or reads are
 *   paused after a run of failures (the circuit breaker, 30 s);
 * - `timeout`: no answer within `timeoutMs`;
 * - `http`: a 4xx/5xx answer (`status`, and the Clerk `errors` when the body had them);
 * - `parse`: an answer that is not what the Frontend API sends (bad JSON, wrong shapes);
 * - `aborted`: the manager was disposed;
 * - `config`: bad options, not in a browser, or the wasm could not be loaded.
 */
export type FapiErrorKind = 'network' | 'timeout' | 'http' | 'parse' | 'aborted' | 'config';

/** One entry of a Clerk error answer's `errors` array, as sent. */
export interface ApiErrorItem {
  /** Machine-readable, e.g. `form_password_incorrect`, `resource_not_found`. */
  readonly code: string;
  /** Short message for users. */
  readonly message: string;
  /** Longer explanation. */
  readonly long_message?: string;
  /** Details, e.g. `{ param_name: 'identifier' }`. */
  readonly meta?: { readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** A failure of the Frontend API, the network or the manager. Every rejection of the
 * package is one; `instanceof FapiError` and `instanceof Error` hold. */
export class FapiError extends Error {
  /** Constructed by the package; exported for `instanceof` (and for tests and mocks). */
  constructor(
    message: string,
    details: {
      kind: FapiErrorKind;
      status?: number;
      code?: string;
      errors?: readonly ApiErrorItem[];
      traceId?: string;
      retryAfter?: number;
      cause?: unknown;
    },
  );
  /** Always `'FapiError'`. */
  readonly name: 'FapiError';
  /** What went wrong; see {@link FapiErrorKind}. */
  kind: FapiErrorKind;
  /** The HTTP status, for kind `http` (and `parse` of an answer with a status). */
  status?: number;
  /** The first Clerk error's `code`, when the answer had one (`message` is then that
   * item's `long_message`, or its `message`). */
  code?: string;
  /** The Clerk errors of the answer (frozen; empty when none). */
  errors: readonly ApiErrorItem[];
  /** The error answer's `clerk_trace_id`, for support requests. */
  traceId?: string;
  /** Seconds to wait before retrying, from a `Retry-After` header (e.g. on 429). */
  retryAfter?: number;
}

// ---------------------------------------------------------------------------------------
// Wire objects of the Frontend API
// ---------------------------------------------------------------------------------------

/**
 * A Unix timestamp as the Frontend API sends it: **milliseconds** in today's API
 * (`1700690400000`), **seconds** in the 2021 seed dialect (`1620943997`). The snapshot keeps
 * the wire value; normalise before use, e.g. `t < 1e11 ? t * 1000 : t` gives milliseconds.
 */
export type Timestamp = number;

/** Arbitrary JSON metadata (`public_metadata`, `unsafe_metadata`, ...). */
export interface Metadata {
  readonly [key: string]: unknown;
}

/** The browser's client: its sessions and any sign-in or sign-up in progress. */
export interface Client {
  readonly object: 'client';
  readonly id: string;
  /** Every session of this browser, signed in or not. */
  readonly sessions: readonly Session[];
  /** The last active session's id; the active session only if its status is `active` or
   * `pending`. */
  readonly last_active_session_id: string | null;
  /** The sign-in in progress (today's API). */
  readonly sign_in?: SignIn | null;
  /** The sign-up in progress (today's API). */
  readonly sign_up?: SignUp | null;
  /** The sign-in in progress (seed dialect's name for `sign_in`). */
  readonly sign_in_attempt?: SignIn | null;
  /** The sign-up in progress (seed dialect's name for `sign_up`). */
  readonly sign_up_attempt?: SignUp | null;
  /** When the `__client` cookie expires (today's API). */
  readonly cookie_expires_at?: Timestamp | null;
  /** Whether this client may skip CAPTCHA (today's API). */
  readonly captcha_bypass?: boolean;
  readonly created_at: Timestamp;
  readonly updated_at: Timestamp;
  readonly [key: string]: unknown;
}

/**
 * A session's status. Signed in: `active`; `pending` is signed in with unfinished tasks
 * (`tasks`). Not signed in: `ended`, `removed`, `revoked`, `expired`, `abandoned`,
 * `replaced`. Statuses newer than this version pass through as other strings (read as not
 * signed in).
 */
export type SessionStatus =
  | 'active'
  | 'pending'
  | 'ended'
  | 'removed'
  | 'revoked'
  | 'expired'
  | 'abandoned'
  | 'replaced'
  | (string & {});

/** A session of a client: one user signed in (or formerly signed in) on this browser. */
export interface Session {
  readonly object: 'session';
  readonly id: string;
  readonly status: SessionStatus;
  /** Absolute lifetime limit. */
  readonly expire_at: Timestamp;
  /** Inactivity limit. */
  readonly abandon_at: Timestamp;
  readonly last_active_at: Timestamp;
  /** The session's user (absent in some answers, e.g. ended sessions). */
  readonly user?: User | null;
  /** The last session token issued (today's API). */
  readonly last_active_token?: Token | null;
  /** The user's public data, also present when `user` is not (today's API). */
  readonly public_user_data?: PublicUserData | null;
  /** For an impersonation session: who acts (today's API). */
  readonly actor?: Metadata | null;
  /** What a `pending` session still has to do (today's API). */
  readonly tasks?: readonly SessionTask[] | null;
  readonly last_active_organization_id?: string | null;
  /** Minutes since the last first- and second-factor verification (today's API). */
  readonly factor_verification_age?: readonly number[] | null;
  readonly created_at: Timestamp;
  readonly updated_at: Timestamp;
  readonly [key: string]: unknown;
}

/** A task a `pending` session must complete, e.g. `{ key: 'choose-organization' }`. */
export interface SessionTask {
  readonly key: string;
  readonly [key: string]: unknown;
}

/** A session token (a JWT living about 60 s). */
export interface Token {
  readonly object: 'token';
  readonly jwt: string;
  readonly [key: string]: unknown;
}

/** What may be shown about a user without the full user object. */
export interface PublicUserData {
  readonly first_name: string | null;
  readonly last_name: string | null;
  /** The identifier used to sign in (email address, phone number or username). */
  readonly identifier: string;
  readonly has_image?: boolean;
  readonly image_url?: string | null;
  /** @deprecated Use `image_url`. */
  readonly profile_image_url?: string | null;
  readonly user_id?: string | null;
  readonly [key: string]: unknown;
}

/** A user, as the client's sessions carry it. */
export interface User {
  readonly object: 'user';
  readonly id: string;
  readonly username: string | null;
  readonly first_name: string | null;
  readonly last_name: string | null;
  /** Today's API. */
  readonly image_url?: string;
  readonly has_image?: boolean;
  /** The seed dialect's image (deprecated in today's API: use `image_url`). */
  readonly profile_image_url?: string;
  /** Seed dialect. */
  readonly gender?: string;
  /** Seed dialect. */
  readonly birthday?: string;
  readonly primary_email_address_id: string | null;
  readonly primary_phone_number_id: string | null;
  readonly primary_web3_wallet_id?: string | null;
  readonly password_enabled: boolean;
  readonly two_factor_enabled: boolean;
  readonly totp_enabled?: boolean;
  readonly backup_code_enabled?: boolean;
  readonly email_addresses: readonly EmailAddress[];
  readonly phone_numbers: readonly PhoneNumber[];
  readonly web3_wallets?: readonly Web3Wallet[];
  readonly passkeys?: readonly Passkey[];
  readonly external_accounts: readonly ExternalAccount[];
  readonly saml_accounts?: readonly SamlAccount[];
  readonly enterprise_accounts?: readonly Metadata[];
  readonly organization_memberships?: readonly OrganizationMembership[];
  readonly public_metadata: Metadata;
  readonly unsafe_metadata?: Metadata;
  readonly external_id?: string | null;
  readonly last_sign_in_at?: Timestamp | null;
  readonly last_active_at?: Timestamp | null;
  readonly password_last_updated_at?: Timestamp | null;
  readonly banned?: boolean;
  readonly locked?: boolean;
  readonly lockout_expires_in_seconds?: number | null;
  readonly verification_attempts_remaining?: number | null;
  readonly delete_self_enabled?: boolean;
  readonly create_organization_enabled?: boolean;
  readonly create_organizations_limit?: number;
  readonly mfa_enabled_at?: Timestamp | null;
  readonly mfa_disabled_at?: Timestamp | null;
  readonly legal_accepted_at?: Timestamp | null;
  readonly created_at: Timestamp;
  readonly updated_at: Timestamp;
  readonly [key: string]: unknown;
}

/** A verification's state, e.g. of an email address (`email_code`), a password, an OAuth
 * login. The fields present depend on the strategy. */
export interface Verification {
  /** `object` names the kind in today's API, e.g. `verification_otp`. */
  readonly object?: string;
  readonly status: 'unverified' | 'verified' | 'failed' | 'expired' | 'transferable' | (string & {});
  /** E.g. `email_code`, `phone_code`, `password`, `email_link`, `oauth_google`, `ticket`. */
  readonly strategy: string;
  readonly attempts?: number | null;
  readonly expire_at?: Timestamp | null;
  readonly external_verification_redirect_url?: string | null;
  readonly error?: ApiErrorItem | null;
  readonly [key: string]: unknown;
}

/** Which external identity an identification is linked to. */
export interface IdentificationLink {
  readonly type: string;
  readonly id: string;
  readonly [key: string]: unknown;
}

/** One of a user's email addresses. */
export interface EmailAddress {
  readonly object: 'email_address';
  readonly id: string;
  readonly email_address: string;
  readonly verification: Verification | null;
  readonly linked_to: readonly IdentificationLink[];
  readonly reserved?: boolean;
  readonly matches_sso_connection?: boolean;
  readonly created_at?: Timestamp;
  readonly updated_at?: Timestamp;
  readonly [key: string]: unknown;
}

/** One of a user's phone numbers. */
export interface PhoneNumber {
  readonly object: 'phone_number';
  readonly id: string;
  readonly phone_number: string;
  readonly verification: Verification | null;
  readonly linked_to: readonly IdentificationLink[];
  readonly reserved?: boolean;
  readonly reserved_for_second_factor?: boolean;
  readonly default_second_factor?: boolean;
  readonly backup_codes?: readonly string[] | null;
  readonly created_at?: Timestamp;
  readonly updated_at?: Timestamp;
  readonly [key: string]: unknown;
}

/** A user's web3 wallet (today's API). */
export interface Web3Wallet {
  readonly object: 'web3_wallet';
  readonly id: string;
  readonly web3_wallet: string;
  readonly verification: Verification | null;
  readonly created_at?: Timestamp;
  readonly updated_at?: Timestamp;
  readonly [key: string]: unknown;
}

/** A user's passkey (today's API). */
export interface Passkey {
  readonly object: 'passkey';
  readonly id: string;
  readonly name: string;
  readonly verification: Verification | null;
  readonly last_used_at?: Timestamp | null;
  readonly created_at?: Timestamp;
  readonly updated_at?: Timestamp;
  readonly [key: string]: unknown;
}

/** An account of an OAuth provider linked to the user. */
export interface ExternalAccount {
  /** `external_account` today; `google_account`, `facebook_account` in older answers. */
  readonly object: string;
  readonly id: string;
  readonly provider?: string;
  readonly identification_id?: string;
  readonly provider_user_id?: string;
  readonly approved_scopes?: string;
  readonly email_address?: string;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly image_url?: string | null;
  readonly username?: string | null;
  readonly phone_number?: string | null;
  readonly label?: string | null;
  readonly public_metadata?: Metadata;
  readonly verification?: Verification | null;
  readonly created_at?: Timestamp;
  readonly updated_at?: Timestamp;
  readonly [key: string]: unknown;
}

/** A SAML (enterprise SSO) account linked to the user (today's API). */
export interface SamlAccount {
  readonly object: 'saml_account';
  readonly id: string;
  readonly provider: string;
  readonly active: boolean;
  readonly email_address: string;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly provider_user_id?: string | null;
  readonly public_metadata?: Metadata;
  readonly verification: Verification | null;
  readonly saml_connection?: Metadata | null;
  readonly [key: string]: unknown;
}

/** An organization (today's API). */
export interface Organization {
  readonly object: 'organization';
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly image_url?: string;
  readonly has_image: boolean;
  readonly members_count?: number;
  readonly pending_invitations_count?: number;
  readonly max_allowed_memberships: number;
  readonly admin_delete_enabled: boolean;
  readonly public_metadata: Metadata;
  readonly created_at: Timestamp;
  readonly updated_at: Timestamp;
  readonly [key: string]: unknown;
}

/** The user's membership of an organization (today's API). */
export interface OrganizationMembership {
  readonly object: 'organization_membership';
  readonly id: string;
  readonly role: string;
  readonly role_name?: string;
  readonly permissions: readonly string[] | null;
  readonly public_metadata: Metadata;
  readonly organization: Organization;
  readonly public_user_data?: PublicUserData | null;
  readonly created_at: Timestamp;
  readonly updated_at: Timestamp;
  readonly [key: string]: unknown;
}

/** A way to sign in offered by a sign-in attempt. */
export interface SignInFactor {
  /** E.g. `password`, `email_code`, `phone_code`, `oauth_google`, `passkey`. */
  readonly strategy: string;
  readonly safe_identifier?: string;
  readonly email_address_id?: string;
  readonly phone_number_id?: string;
  readonly web3_wallet_id?: string;
  readonly passkey_id?: string;
  readonly primary?: boolean | null;
  readonly default?: boolean;
  readonly [key: string]: unknown;
}

/** A sign-in in progress (`client.sign_in`, or `client.sign_in_attempt` in the seed
 * dialect; also the answer of `POST /v1/client/sign_ins`). */
export interface SignIn {
  readonly object: 'sign_in_attempt';
  readonly id: string;
  readonly status:
    | 'needs_identifier'
    | 'needs_first_factor'
    | 'needs_second_factor'
    | 'needs_new_password'
    | 'complete'
    | 'abandoned'
    | (string & {});
  readonly supported_identifiers: readonly string[];
  readonly supported_first_factors: readonly SignInFactor[] | null;
  readonly supported_second_factors: readonly SignInFactor[] | null;
  readonly first_factor_verification: Verification | null;
  readonly second_factor_verification: Verification | null;
  readonly identifier: string | null;
  readonly user_data: {
    readonly first_name?: string | null;
    readonly last_name?: string | null;
    readonly image_url?: string | null;
    readonly has_image?: boolean;
    readonly profile_image_url?: string | null;
    readonly [key: string]: unknown;
  } | null;
  /** The session this sign-in created, once `complete`. */
  readonly created_session_id: string | null;
  readonly abandon_at: Timestamp;
  readonly [key: string]: unknown;
}

/** A sign-up in progress (`client.sign_up`, or `client.sign_up_attempt` in the seed
 * dialect). */
export interface SignUp {
  readonly object: 'sign_up_attempt';
  readonly id: string;
  readonly status: 'missing_requirements' | 'complete' | 'abandoned' | (string & {});
  readonly required_fields: readonly string[];
  readonly optional_fields: readonly string[];
  readonly missing_fields: readonly string[];
  readonly unverified_fields: readonly string[];
  readonly verifications: {
    readonly email_address?: Verification | null;
    readonly phone_number?: Verification | null;
    readonly web3_wallet?: Verification | null;
    readonly external_account?: Verification | null;
    readonly [key: string]: unknown;
  };
  readonly username: string | null;
  readonly email_address: string | null;
  readonly phone_number: string | null;
  readonly web3_wallet?: string | null;
  readonly password_enabled: boolean;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly unsafe_metadata?: Metadata;
  readonly public_metadata?: Metadata;
  readonly custom_action?: boolean;
  readonly external_id?: string | null;
  readonly created_session_id: string | null;
  readonly created_user_id: string | null;
  readonly abandon_at: Timestamp;
  readonly legal_accepted_at?: Timestamp | null;
  readonly [key: string]: unknown;
}

/** The Frontend API's answer envelope: `response` is the resource asked for, `client` the
 * newest client when piggybacked (the manager applies it). */
export interface Envelope<T = unknown> {
  readonly response: T | null;
  readonly client: Client | null;
  readonly [key: string]: unknown;
}

/** A Clerk error answer's body (4xx/5xx). */
export interface ApiErrorBody {
  readonly errors: readonly ApiErrorItem[];
  readonly meta?: Metadata;
  readonly clerk_trace_id?: string;
  /** An error answer may still carry the newest client. */
  readonly client?: Client | null;
  readonly [key: string]: unknown;
}
