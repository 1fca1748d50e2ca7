// Compiled by `tsc -p tests/e2e/types` (typecheck.test.mjs): js/react.d.ts (fapi-session/react)
// as React users write against it, with @types/react. Lines marked @ts-expect-error must
// stay errors.
import { StrictMode, type ReactElement, type ReactNode } from 'react';
import type { ClientManager, Client, Session, Snapshot, User } from 'fapi-session';
import {
  ClientManagerProvider,
  idleSnapshot,
  useClient,
  useClientManager,
  useSession,
  useSnapshot,
  useUser,
  useAuth,
  useSessions,
  type Auth,
  type ClientManagerProviderProps,
} from 'fapi-session/react';

export function Api(): ReactElement {
  const auth: Auth = useAuth();
  const { isLoaded, isSignedIn, userId, sessionId, getToken, signOut } = auth;
  const sessions: readonly Session[] = useSessions();
  const token: Promise<string | null> = getToken({ template: 'backend' });
  void token;
  void signOut({ sessionId: sessionId ?? undefined });
  return <p>{`${isLoaded} ${isSignedIn} ${userId ?? ''} ${sessions.length}`}</p>;
}

const idle: Snapshot = idleSnapshot;
void idle;

function Account(): ReactElement {
  // Inside a provider: the whole snapshot, or a selection with its own type.
  const snapshot: Snapshot = useSnapshot();
  const status: Snapshot['status'] = useSnapshot((s) => s.status);
  const userId: string | undefined = useSnapshot(
    (s) => s.user?.id,
    (a, b) => a === b,
  );
  const user: User | null = useUser();
  const session: Session | null = useSession();
  const client: Client | null = useClient();
  const manager: ClientManager | null = useClientManager();

  // @ts-expect-error a selector's result has its own type: a number is not a string
  const wrong: string = useSnapshot((s) => s.version);
  // @ts-expect-error isEqual compares selections, not snapshots
  useSnapshot((s) => s.version, (a: Snapshot, b: Snapshot) => a === b);
  // @ts-expect-error the user may be null
  const first: string | null = useUser().first_name;
  // @ts-expect-error the manager is null until created
  void useClientManager().refresh();
  void wrong;
  void first;

  if (!user) return <p>{status === 'ready' ? 'Signed out' : 'Loading…'}</p>;
  return (
    <button onClick={() => void manager?.destroy()}>
      Sign out {user.first_name} ({userId}, {session?.id}, {client?.id}, {snapshot.version})
    </button>
  );
}

/** The hooks given a manager: no provider needed. */
function Standalone({ manager }: { manager: ClientManager }): ReactNode {
  const snapshot: Snapshot = useSnapshot(manager);
  const signedIn: boolean = useSnapshot(manager, (s) => s.isSignedIn);
  const nothing: Snapshot = useSnapshot(null);
  const user: User | null = useUser(manager);
  const session: Session | null = useSession(manager);
  const client: Client | null = useClient(null);
  // @ts-expect-error the selection is a boolean
  const name: string = useSnapshot(manager, (s) => s.isSignedIn);
  // @ts-expect-error not a manager
  useUser({ getSnapshot: () => idleSnapshot });
  void name;
  return signedIn ? `${user?.id} ${session?.id} ${client?.id} ${snapshot.version} ${nothing.status}` : null;
}

export function App({ manager }: { manager: ClientManager }): ReactElement {
  const props: ClientManagerProviderProps = { options: { frontendApi: 'https://clerk.example.com' } };
  void props;
  return (
    <StrictMode>
      <ClientManagerProvider options={{ frontendApi: 'https://clerk.example.com' }} autoLoad={false}>
        <Account />
      </ClientManagerProvider>
      <ClientManagerProvider options={{ publishableKey: 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k', clientToken: 'memory' }}>
        <Api />
      </ClientManagerProvider>
      <ClientManagerProvider manager={manager} serverSnapshot={idleSnapshot}>
        <Account />
        <Standalone manager={manager} />
      </ClientManagerProvider>
      {/* @ts-expect-error a manager or options, not both */}
      <ClientManagerProvider manager={manager} options={{ frontendApi: 'https://clerk.example.com' }}>
        <Account />
      </ClientManagerProvider>
      {/* @ts-expect-error frontendApi is required */}
      <ClientManagerProvider options={{ timeoutMs: 5 }} />
      {/* @ts-expect-error autoLoad is a boolean */}
      <ClientManagerProvider manager={manager} autoLoad="yes" />
    </StrictMode>
  );
}

// @ts-expect-error neither a manager nor options
export const none = <ClientManagerProvider>x</ClientManagerProvider>;
