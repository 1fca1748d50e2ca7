// Types of fapi-session/react.
import type { ReactNode, ReactElement } from 'react';
import type {
  Client,
  ClientManager,
  ClientManagerOptions,
  GetTokenOptions,
  Session,
  Snapshot,
  User,
} from './index.js';

/** The snapshot before anything is loaded, and on the server: status `idle`, nobody signed in. */
export declare const idleSnapshot: Snapshot;

/**
 * Subscribes to `manager` (or, when omitted, the one of the enclosing
 * `<ClientManagerProvider>`) and returns its snapshot, on `useSyncExternalStore`.
 * With no manager yet (a provider still creating it) or on the server, the snapshot is the
 * provider's `serverSnapshot`, else `idleSnapshot`.
 */
export declare function useSnapshot(manager?: ClientManager | null): Snapshot;
/** The selected part of the snapshot; re-renders only when `isEqual` (default `Object.is`)
 * says the selection changed. */
export declare function useSnapshot<T>(
  manager: ClientManager | null | undefined,
  selector: (snapshot: Snapshot) => T,
  isEqual?: (a: T, b: T) => boolean,
): T;
/** Inside a `<ClientManagerProvider>`: the selected part of its manager's snapshot. */
export declare function useSnapshot<T>(
  selector: (snapshot: Snapshot) => T,
  isEqual?: (a: T, b: T) => boolean,
): T;

/** The active session, or null; re-renders only when it changes. */
export declare function useSession(manager?: ClientManager | null): Session | null;
/** The active session's user, or null; re-renders only when it changes. */
export declare function useUser(manager?: ClientManager | null): User | null;
/** The cached client, or null; re-renders only when it changes. */
export declare function useClient(manager?: ClientManager | null): Client | null;

/** The provider's manager: `null` while a provider given `options` is still creating it, or
 * if that failed (then `useSnapshot().error` says why). Throws outside a provider. */
export declare function useClientManager(): ClientManager | null;

export interface ClientManagerProviderBaseProps {
  /** The snapshot rendered on the server and while hydrating (default `idleSnapshot`). */
  serverSnapshot?: Snapshot;
  /** Call `manager.load()` once when the manager is available (default true). */
  autoLoad?: boolean;
  children?: ReactNode;
}

export type ClientManagerProviderProps = ClientManagerProviderBaseProps &
  (
    | {
        /** A manager you created and own (the provider never disposes it). */
        manager: ClientManager;
        options?: never;
      }
    | {
        /** Read once: the provider creates the manager with `createClientManager(options)`
         * and disposes it on unmount. */
        options: ClientManagerOptions;
        manager?: never;
      }
  );

/** Makes a ClientManager available to the hooks below it. */
export declare function ClientManagerProvider(props: ClientManagerProviderProps): ReactElement;

/** What {@link useAuth} returns. */
export interface Auth {
  /** The first load has finished (status `ready`, or `error` if it failed). */
  readonly isLoaded: boolean;
  /** `snapshot.isSignedIn`. */
  readonly isSignedIn: boolean;
  /** The active session's user's id, or null. */
  readonly userId: string | null;
  /** The active session's id, or null. */
  readonly sessionId: string | null;
  /** `manager.getToken(options)`; `null` while there is no manager yet. Stable. */
  readonly getToken: (options?: GetTokenOptions) => Promise<string | null>;
  /** `manager.signOut(options)`. Stable. */
  readonly signOut: (options?: { sessionId?: string | null | undefined }) => Promise<Snapshot>;
}

/** Who is signed in, and `getToken`/`signOut` (the same functions across renders).
 * Re-renders only when `isLoaded`, `isSignedIn`, `userId` or `sessionId` changes. */
export declare function useAuth(manager?: ClientManager | null): Auth;
/** The signed-in sessions (active or pending), in the client's order. */
export declare function useSessions(manager?: ClientManager | null): readonly Session[];
