// Compiled by `tsc -p tests/e2e/types` (typecheck.test.mjs): js/vue.d.ts (fapi-session/vue)
// as Vue users write against it. Lines marked @ts-expect-error must stay errors.
import { createApp, defineComponent, effectScope, h, shallowRef, type ComputedRef, type ShallowRef } from 'vue';
import type { Client, ClientManager, FapiError, Session, Snapshot, User } from 'fapi-session';
import {
  ClientManagerKey,
  fapiSession,
  idleSnapshot,
  useClient,
  useClientManager,
  useSession,
  useSnapshot,
  useUser,
  useAuth,
  useSessions,
  type Auth,
  type FapiSessionPluginOptions,
  type FapiSessionShared,
} from 'fapi-session/vue';

const App = defineComponent({
  setup() {
    const snapshot: Readonly<ShallowRef<Snapshot>> = useSnapshot();
    const user: ComputedRef<User | null> = useUser();
    const session: ComputedRef<Session | null> = useSession();
    const client: ComputedRef<Client | null> = useClient();
    const manager: Readonly<ShallowRef<ClientManager | null>> = useClientManager();
    // @ts-expect-error the snapshot ref is read-only
    snapshot.value = idleSnapshot;
    // @ts-expect-error a computed user is User | null, not a string
    const name: string = user.value;
    // @ts-expect-error the manager is null until created
    void manager.value.refresh();
    void name;
    return () =>
      h(
        'p',
        user.value
          ? `${user.value.first_name} ${session.value?.id} ${client.value?.id}`
          : snapshot.value.status === 'ready'
            ? 'Signed out'
            : 'Loading…',
      );
  },
});

export function mount(manager: ClientManager): void {
  createApp(App).use(fapiSession, { frontendApi: 'https://clerk.example.com' }).mount('#app');
  createApp(App).use(fapiSession, { frontendApi: 'https://clerk.example.com', autoLoad: false, maxRetries: 2 });
  createApp(App).use(fapiSession, { manager });
  createApp(App).use(fapiSession, { manager, autoLoad: false });
  const options: FapiSessionPluginOptions = { manager };
  void options;
  // @ts-expect-error a manager or manager options, not both
  createApp(App).use(fapiSession, { manager, frontendApi: 'https://clerk.example.com' });
  // @ts-expect-error frontendApi is required without a manager
  createApp(App).use(fapiSession, { autoLoad: true });
  // @ts-expect-error the options are manager options
  createApp(App).use(fapiSession, { frontendApi: 'https://clerk.example.com', credentials: 'always' });
}

/** The composables given a manager (or a ref to one) work in any effect scope. */
export function outside(manager: ClientManager): void {
  const scope = effectScope();
  scope.run(() => {
    const direct: Readonly<ShallowRef<Snapshot>> = useSnapshot(manager);
    const fromRef = useUser(shallowRef<ClientManager | null>(manager));
    const nothing = useClient(null);
    const version: number = direct.value.version;
    const user: User | null = fromRef.value;
    const client: Client | null = nothing.value;
    // @ts-expect-error not a manager
    useSession('manager');
    // @ts-expect-error a ref to something else
    useSnapshot(shallowRef(42));
    void version;
    void user;
    void client;
  });
  scope.stop();
}

export function injected(shared: FapiSessionShared): FapiError | null {
  const key: symbol = ClientManagerKey;
  void key;
  // @ts-expect-error the shared refs are read-only
  shared.error.value = null;
  return shared.error.value;
}

export function api(manager: ClientManager): void {
  const scope = effectScope();
  scope.run(() => {
    const auth: Auth = useAuth(manager);
    const signedIn: ComputedRef<boolean> = auth.isSignedIn;
    const sessions: ComputedRef<readonly Session[]> = useSessions(manager);
    void auth.getToken({ skipCache: true });
    void signedIn;
    void sessions;
  });
  scope.stop();
}

export function plugins(): void {
  createApp(App).use(fapiSession, { proxyUrl: 'https://app.example.com/__clerk', publishableKey: 'pk_test_x' });
  createApp(App).use(fapiSession, { publishableKey: 'pk_live_x', clientToken: 'memory' });
}
