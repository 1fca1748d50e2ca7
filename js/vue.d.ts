// Types of fapi-session/vue.
import type { App, ComputedRef, InjectionKey, Ref, ShallowRef } from 'vue';
import type {
  Client,
  ClientManager,
  ClientManagerOptions,
  GetTokenOptions,
  FapiError,
  Session,
  Snapshot,
  User,
} from './index.js';

/** The snapshot before anything is loaded, and on the server: status `idle`, nobody signed in. */
export declare const idleSnapshot: Snapshot;

/** The plugin's shared state, provided under `ClientManagerKey`. */
export interface FapiSessionShared {
  readonly manager: Readonly<ShallowRef<ClientManager | null>>;
  readonly error: Readonly<ShallowRef<FapiError | null>>;
}
export declare const ClientManagerKey: InjectionKey<FapiSessionShared>;

export type FapiSessionPluginOptions =
  | (ClientManagerOptions & {
      manager?: never;
      /** Call `load()` once the manager is created (default true). */
      autoLoad?: boolean;
    })
  | {
      /** A manager you created and own (the plugin never disposes it). */
      manager: ClientManager;
      /** Call `manager.load()` at install (default true; `load()` is idempotent). */
      autoLoad?: boolean;
    };

/**
 * `app.use(fapiSession, { frontendApi })` creates a shared manager (disposed when the app
 * unmounts, with Vue >= 3.5); `app.use(fapiSession, { manager })` shares yours.
 */
export declare const fapiSession: {
  install(app: App, options: FapiSessionPluginOptions): void;
};

/** The plugin's manager: `null` until it is created, or if that failed. */
export declare function useClientManager(): Readonly<ShallowRef<ClientManager | null>>;

type ManagerSource = ClientManager | Ref<ClientManager | null> | null;

/**
 * The snapshot as a read-only shallow ref, updated on every change and unsubscribed when
 * the current effect scope is disposed. Without an argument: the plugin's manager.
 */
export declare function useSnapshot(manager?: ManagerSource): Readonly<ShallowRef<Snapshot>>;
/** The active session (null when signed out). */
export declare function useSession(manager?: ManagerSource): ComputedRef<Session | null>;
/** The active session's user (null when signed out). */
export declare function useUser(manager?: ManagerSource): ComputedRef<User | null>;
/** The cached client (null when there is none). */
export declare function useClient(manager?: ManagerSource): ComputedRef<Client | null>;

/** What {@link useAuth} returns: computed refs, and functions that call the current
 * manager. */
export interface Auth {
  /** The first load has finished (status `ready`, or `error` if it failed). */
  readonly isLoaded: ComputedRef<boolean>;
  /** `snapshot.isSignedIn`. */
  readonly isSignedIn: ComputedRef<boolean>;
  /** The active session's user's id, or null. */
  readonly userId: ComputedRef<string | null>;
  /** The active session's id, or null. */
  readonly sessionId: ComputedRef<string | null>;
  /** `manager.getToken(options)`; `null` while there is no manager yet. */
  readonly getToken: (options?: GetTokenOptions) => Promise<string | null>;
  /** `manager.signOut(options)`. */
  readonly signOut: (options?: { sessionId?: string | null | undefined }) => Promise<Snapshot>;
}

/** Who is signed in, and `getToken`/`signOut`. Without an argument: the plugin's manager. */
export declare function useAuth(manager?: ManagerSource): Auth;
/** The signed-in sessions (active or pending), in the client's order. */
export declare function useSessions(manager?: ManagerSource): ComputedRef<readonly Session[]>;
