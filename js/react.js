// fapi-session/react: hooks over a ClientManager, built on useSyncExternalStore.
//
// Plain ESM with no JSX; React is a peer dependency. Importing this module touches neither
// `window`, `document` nor the network.

import {
  createContext,
  createElement,
  useContext,
  useDebugValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { createClientManager, idleSnapshot } from './index.js';

/** The snapshot before anything is loaded, and on the server (from the package's root). */
export { idleSnapshot };

const ManagerContext = createContext(null);
ManagerContext.displayName = 'FapiSessionContext';

const noopUnsubscribe = () => {};
const noopSubscribe = () => noopUnsubscribe;
const identity = (s) => s;
const selectSession = (s) => s.session;
const selectUser = (s) => s.user;
const selectClient = (s) => s.client;
const selectSessions = (s) => s.sessions;
const selectAuth = (s) => ({
  isLoaded: s.status === 'ready' || s.status === 'error',
  isSignedIn: s.isSignedIn,
  userId: s.user ? s.user.id : null,
  sessionId: s.session ? s.session.id : null,
});
const sameAuth = (a, b) =>
  a.isLoaded === b.isLoaded &&
  a.isSignedIn === b.isSignedIn &&
  a.userId === b.userId &&
  a.sessionId === b.sessionId;

// Managers this module has already asked to load(): the provider loads each one once,
// however often React mounts it (StrictMode, remounts).
const autoLoaded = new WeakSet();

function errorSnapshot(error) {
  return Object.freeze({ ...idleSnapshot, status: 'error', error });
}

/**
 * Subscribes to `manager` and returns its snapshot, or `selector(snapshot)`.
 *
 *   useSnapshot(manager)                      // the whole snapshot
 *   useSnapshot(manager, s => s.user?.id)     // re-renders only when the selection changes
 *   useSnapshot()  /  useSnapshot(selector)   // inside a <ClientManagerProvider>
 *
 * `isEqual(a, b)` (default `Object.is`) decides whether a new selection equals the previous
 * one. With no manager yet (a provider still creating it) or on the server, the snapshot is
 * the provider's `serverSnapshot`, else `idleSnapshot`.
 */
export function useSnapshot(manager, selector, isEqual) {
  if (typeof manager === 'function') {
    // useSnapshot(selector, isEqual) inside a provider.
    isEqual = selector;
    selector = manager;
    manager = undefined;
  }
  const context = useContext(ManagerContext);
  const target = manager != null ? manager : context ? context.manager : null;
  if (manager === undefined && context === null) {
    throw new Error(
      'fapi-session/react: pass a ClientManager, or render inside <ClientManagerProvider>',
    );
  }
  const fallback =
    (context && (context.error ? context.errorSnapshot : context.serverSnapshot)) ||
    idleSnapshot;
  const serverSnapshot = (context && context.serverSnapshot) || idleSnapshot;
  const selected = useStoreWithSelector(
    target,
    fallback,
    serverSnapshot,
    selector || identity,
    isEqual || Object.is,
  );
  useDebugValue(selected);
  return selected;
}

/** The active session, or null. Re-renders only when it changes. */
export function useSession(manager) {
  return useSnapshot(manager, selectSession);
}

/** The active session's user, or null. Re-renders only when it changes. */
export function useUser(manager) {
  return useSnapshot(manager, selectUser);
}

/** The cached client, or null. Re-renders only when it changes. */
export function useClient(manager) {
  return useSnapshot(manager, selectClient);
}

/** The signed-in sessions (a switcher's list), in the client's order. Re-renders only when
 * the list changes. */
export function useSessions(manager) {
  return useSnapshot(manager, selectSessions);
}

/**
 * Who is signed in, and what to do about it: `{ isLoaded, isSignedIn, userId, sessionId,
 * getToken, signOut }`. Re-renders only when one of the four values changes; `getToken`
 * and `signOut` are the same functions for the component's whole life (safe in effect
 * dependencies) and call the current manager (`getToken` resolves `null` while there is
 * none yet).
 */
export function useAuth(manager) {
  const state = useSnapshot(manager, selectAuth, sameAuth);
  const context = useContext(ManagerContext);
  const target = manager != null ? manager : context ? context.manager : null;
  const current = useRef(target);
  current.current = target;
  const [actions] = useState(() => ({
    getToken: (options) =>
      current.current ? current.current.getToken(options) : Promise.resolve(null),
    signOut: (options) =>
      current.current
        ? current.current.signOut(options)
        : Promise.reject(new Error('fapi-session/react: no ClientManager yet')),
  }));
  return useMemo(() => ({ ...state, ...actions }), [state, actions]);
}

/**
 * The provider's ClientManager: `null` while a provider given `options` is still creating it
 * (or if that failed: see `useSnapshot().error`). Throws outside a provider.
 */
export function useClientManager() {
  const context = useContext(ManagerContext);
  if (context === null) {
    throw new Error('fapi-session/react: useClientManager() needs a <ClientManagerProvider>');
  }
  return context.manager;
}

/**
 * Makes a ClientManager available to the hooks below it.
 *
 * Props: `manager` (one you created), or `options` (read once: the provider creates the
 * manager with `createClientManager(options)` and disposes it on unmount); `serverSnapshot`
 * (the snapshot to render on the server and while hydrating; default `idleSnapshot`);
 * `autoLoad` (default true: call `manager.load()` once, when the manager is available).
 */
export function ClientManagerProvider(props) {
  const { manager: given, options, serverSnapshot, autoLoad = true, children } = props;
  if (given == null && options == null) {
    throw new Error('fapi-session/react: <ClientManagerProvider> needs a `manager` or `options`');
  }
  const owned = useOwnedManager(given == null ? options : null);
  const manager = given != null ? given : owned.manager;

  useEffect(() => {
    if (autoLoad && manager && !autoLoaded.has(manager)) {
      autoLoaded.add(manager);
      // Failures land in the snapshot (status 'error' or `error`); nothing to do here.
      manager.load().catch(() => {});
    }
  }, [autoLoad, manager]);

  const value = useMemo(
    () => ({
      manager,
      serverSnapshot: serverSnapshot || null,
      error: owned.error,
      errorSnapshot: owned.error ? errorSnapshot(owned.error) : null,
    }),
    [manager, serverSnapshot, owned.error],
  );
  return createElement(ManagerContext.Provider, { value }, children);
}

// Creates a manager from `options` once per mounted provider and disposes it on unmount.
// StrictMode mounts, unmounts and mounts again synchronously: the disposal is deferred to a
// microtask and cancelled by the second mount, so a single manager is created and kept.
function useOwnedManager(options) {
  const [state, setState] = useState({ manager: null, error: null });
  const ownRef = useRef(null);
  if (ownRef.current === null) {
    ownRef.current = { options, pending: null, manager: null, mounted: false, epoch: 0 };
  }
  useEffect(() => {
    const own = ownRef.current;
    if (own.options == null) return undefined;
    own.mounted = true;
    own.epoch += 1;
    if (own.pending === null) {
      const attempt = createClientManager(own.options).then(
        (manager) => {
          if (own.pending !== attempt) {
            manager.dispose();
            return;
          }
          own.manager = manager;
          setState({ manager, error: null });
        },
        (error) => {
          if (own.pending === attempt) setState({ manager: null, error });
        },
      );
      own.pending = attempt;
    }
    return () => {
      own.mounted = false;
      const epoch = own.epoch;
      queueMicrotask(() => {
        if (own.mounted || own.epoch !== epoch) return;
        // Really unmounted (or hidden): drop the manager, or the creation still in flight.
        own.pending = null;
        if (own.manager) {
          own.manager.dispose();
          own.manager = null;
          setState({ manager: null, error: null });
        }
      });
    };
  }, []);
  return state;
}

// useSyncExternalStore with a memoized selector: the component re-renders only when
// `isEqual` says the selection changed (the semantics of useSyncExternalStoreWithSelector).
// `manager` may be null: then the snapshot is `fallback` and nothing is subscribed.
function useStoreWithSelector(manager, fallback, serverSnapshot, selector, isEqual) {
  const instRef = useRef(null);
  if (instRef.current === null) instRef.current = { hasValue: false, value: null };
  const inst = instRef.current;

  const [getSelection, getServerSelection] = useMemo(() => {
    const getSnapshot = manager ? manager.getSnapshot : () => fallback;
    let hasMemo = false;
    let memoSnapshot;
    let memoSelection;
    const memoized = (snapshot) => {
      if (!hasMemo) {
        hasMemo = true;
        memoSnapshot = snapshot;
        const next = selector(snapshot);
        // Keep the selection rendered last if it is still equal (new selector each render).
        memoSelection = inst.hasValue && isEqual(inst.value, next) ? inst.value : next;
        return memoSelection;
      }
      if (Object.is(memoSnapshot, snapshot)) return memoSelection;
      const next = selector(snapshot);
      memoSnapshot = snapshot;
      if (isEqual(memoSelection, next)) return memoSelection;
      memoSelection = next;
      return next;
    };
    return [() => memoized(getSnapshot()), () => memoized(serverSnapshot)];
  }, [manager, fallback, serverSnapshot, selector, isEqual, inst]);

  const value = useSyncExternalStore(
    manager ? manager.subscribe : noopSubscribe,
    getSelection,
    getServerSelection,
  );
  useEffect(() => {
    inst.hasValue = true;
    inst.value = value;
  }, [inst, value]);
  return value;
}
