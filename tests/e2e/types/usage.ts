// Compiled by `tsc -p tests/e2e/types` (typecheck.test.mjs): the package's types as users
// write against them. Lines marked @ts-expect-error must stay errors.
import {
  ClientManager,
  FapiError,
  createClientManager,
  initFapiSession,
  type ApiErrorItem,
  type Client,
  type ClientManagerOptions,
  type EmailAddress,
  type FapiErrorKind,
  type PublicUserData,
  type Session,
  type SessionStatus,
  type SignIn,
  type Snapshot,
  type SnapshotCause,
  type Timestamp,
  type Token,
  type User,
} from 'fapi-session';

const options: ClientManagerOptions = {
  frontendApi: 'https://clerk.example.com',
  credentials: 'include',
  methodOverride: true,
  timeoutMs: 5000,
  maxRetries: 2,
  retryBaseMs: 250,
  retryCapMs: 10_000,
  revalidateOnFocus: false,
  revalidateOnVisible: true,
  revalidateOnOnline: true,
  revalidateOnPageShow: true,
  revalidateOnBroadcast: true,
  revalidateThrottleMs: 5000,
  tokenLeewayMs: 5000,
  sessionCookie: false,
};

/** Every way to reach a Frontend API. */
export const located: ClientManagerOptions[] = [
  { publishableKey: 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k' },
  { proxyUrl: 'https://app.example.com/__clerk', publishableKey: 'pk_live_Y2xlcmsuZXhhbXBsZS5jb20k' },
  { proxyUrl: 'https://app.example.com/__clerk' },
  { frontendApi: 'https://clerk.example.com', clientToken: 'memory' },
  {
    publishableKey: 'pk_live_Y2xlcmsuZXhhbXBsZS5jb20k',
    clientToken: {
      get: async () => null,
      set: (token: string) => void token,
      remove: () => {},
    },
  },
];
// @ts-expect-error frontendApi and publishableKey both name the Frontend API
void createClientManager({ frontendApi: 'https://a.example', publishableKey: 'pk_live_x' });
// @ts-expect-error clientToken is 'memory' or a store
void createClientManager({ frontendApi: 'https://a.example', clientToken: 'disk' });

/** The session API as an app calls it. */
export async function sessions(manager: ClientManager): Promise<string | null> {
  const attempt: SignIn = await manager.signIn({ identifier: 'ada@example.com', password: 'pw' });
  const status: string = attempt.status;
  const snap: Snapshot = await manager.setActive('sess_1');
  const list: readonly Session[] = snap.sessions;
  const cause: SnapshotCause = 'signIn';
  await manager.signOut({ sessionId: list[0]?.id ?? 'sess_1' });
  await manager.signOut();
  const answer: unknown = await manager.request('/v1/client/sign_ins/x/attempt_first_factor', {
    method: 'POST',
    body: { strategy: 'email_code', code: '424242' },
  });
  await manager.request('/v1/environment', { body: new URLSearchParams({ a: 'b' }) });
  void status;
  void cause;
  void answer;
  // @ts-expect-error signIn needs a password
  void manager.signIn({ identifier: 'x' });
  // @ts-expect-error a request's method is a closed set
  void manager.request('/v1/client', { method: 'BREW' });
  await manager.getToken({ template: 'hasura', skipCache: true });
  return manager.getToken();
}

export async function main(): Promise<string> {
  await initFapiSession();
  await initFapiSession(new URL('./fapi_session_bg.wasm', 'https://cdn.example.com/'));
  const manager: ClientManager = await createClientManager(options);
  const direct = new ClientManager({ frontendApi: 'http://localhost:8787' });
  direct.dispose();

  // Unbound use, as useSyncExternalStore does.
  const { subscribe, getSnapshot, load, refresh, create, destroy, applyResponse, dispose } = manager;
  const unsubscribe: () => void = subscribe((s: Snapshot) => {
    const v: number = s.version;
    const cause: SnapshotCause = s.cause;
    const retryAt: number | null = s.nextRetryAt;
    void retryAt;
    void v;
    void cause;
  });
  const loaded: Snapshot = await load();
  const again: Snapshot = await refresh();
  await create();
  await destroy();
  const applied: Snapshot = applyResponse({ response: null, client: null });
  void applied;
  unsubscribe();

  const snap = getSnapshot();
  switch (snap.status) {
    case 'idle':
    case 'loading':
    case 'ready':
    case 'error':
      break;
    default: {
      const never: never = snap.status;
      void never;
    }
  }
  // @ts-expect-error snapshots are read-only
  snap.version = 2;
  // @ts-expect-error not a status
  const wrong: Snapshot['status'] = 'done';
  void wrong;

  const client: Client | null = manager.client;
  const session: Session | null = manager.session;
  const user: User | null = manager.user;
  const count: number = manager.listenerCount;
  void count;

  let label = 'signed out';
  if (snap.isSignedIn && user && session) {
    const primary: EmailAddress | undefined = user.email_addresses.find(
      (e) => e.id === user.primary_email_address_id,
    );
    const name: string = [user.first_name, user.last_name].filter(Boolean).join(' ');
    const expireAt: Timestamp = session.expire_at;
    const expireMs = expireAt < 1e11 ? expireAt * 1000 : expireAt;
    const status: SessionStatus = session.status;
    const token: Token | null | undefined = session.last_active_token;
    const jwt: string | undefined = token?.jwt;
    const pud: PublicUserData | null | undefined = session.public_user_data;
    const extra: unknown = user['some_future_field'];
    label = `${name} <${primary?.email_address ?? '?'}> until ${new Date(expireMs).toISOString()} (${status}, ${jwt ?? ''}, ${pud?.identifier ?? ''}, ${String(extra)})`;
    // @ts-expect-error wire objects are read-only
    user.first_name = 'x';
    // @ts-expect-error arrays too
    client?.sessions.push(session);
  }
  // Both dialects' sign-in keys.
  const signIn: SignIn | null | undefined = client?.sign_in ?? client?.sign_in_attempt;
  void signIn?.status;
  void loaded;
  void again;

  try {
    await manager.refresh();
  } catch (e) {
    if (e instanceof FapiError) {
      const kind: FapiErrorKind = e.kind;
      const items: readonly ApiErrorItem[] = e.errors;
      const first = items[0];
      const details = [e.status, e.code, e.traceId, e.retryAfter, first?.long_message, first?.meta];
      const asError: Error = e;
      label = `${kind}: ${asError.message} ${details.length}`;
      if (e.kind === 'http' && e.status === 429) label += ` retry after ${e.retryAfter ?? 0}s`;
    }
  }
  const err: FapiError | null = snap.error;
  void err;
  const made = new FapiError('x', { kind: 'network' });
  void made;

  dispose();
  return label;
}

// @ts-expect-error frontendApi is required
void createClientManager({});
// @ts-expect-error credentials is a closed set
void createClientManager({ frontendApi: 'https://a.example', credentials: 'always' });
