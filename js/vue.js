// fapi-session/vue: composables and a plugin over a ClientManager.
//
// Plain ESM; Vue is a peer dependency. Importing this module touches neither `window`,
// `document` nor the network. Snapshots are held shallowly and the manager is marked raw:
// Vue never proxies the wasm-backed objects.

import {
  computed,
  getCurrentScope,
  hasInjectionContext,
  inject,
  isRef,
  markRaw,
  onScopeDispose,
  shallowReadonly,
  shallowRef,
  watch,
} from 'vue';
import { createClientManager, idleSnapshot } from './index.js';

/** The snapshot before anything is loaded, and on the server (from the package's root). */
export { idleSnapshot };

/** The injection key of the plugin's shared manager. */
export const ClientManagerKey = Symbol('fapi-session');

function errorSnapshot(error) {
  return Object.freeze({ ...idleSnapshot, status: 'error', error });
}

/**
 * The plugin: `app.use(fapiSession, { frontendApi })` creates a shared manager (and calls
 * `load()` once, unless `autoLoad: false`), disposed when the app unmounts;
 * `app.use(fapiSession, { manager })` shares one you created (never disposed by the plugin).
 * Components get it with `useClientManager()`, or use the composables without arguments.
 */
export const fapiSession = {
  install(app, options = {}) {
    const { manager: given, autoLoad = true, ...managerOptions } = options;
    const manager = shallowRef(given ? markRaw(given) : null);
    const error = shallowRef(null);
    let disposed = false;
    if (!given) {
      createClientManager(managerOptions).then(
        (created) => {
          if (disposed) {
            created.dispose();
            return;
          }
          manager.value = markRaw(created);
          if (autoLoad) created.load().catch(() => {});
        },
        (e) => {
          error.value = e;
        },
      );
      if (typeof app.onUnmount === 'function') {
        app.onUnmount(() => {
          disposed = true;
          if (manager.value) manager.value.dispose();
          manager.value = null;
        });
      }
    } else if (autoLoad) {
      given.load().catch(() => {});
    }
    app.provide(ClientManagerKey, {
      manager: shallowReadonly(manager),
      error: shallowReadonly(error),
    });
  },
};

/**
 * The plugin's manager, as a read-only shallow ref: `null` until it is created (or if that
 * failed: see `useSnapshot().value.error`). Throws outside an app that uses the plugin.
 */
export function useClientManager() {
  return injectShared().manager;
}

function injectShared() {
  const shared = hasInjectionContext() ? inject(ClientManagerKey, null) : null;
  if (!shared) {
    throw new Error(
      'fapi-session/vue: pass a ClientManager, or install the plugin: app.use(fapiSession, { frontendApi })',
    );
  }
  return shared;
}

/**
 * The manager's snapshot as a read-only `ShallowRef`, updated on every change. Unsubscribes
 * when the current effect scope (a component's setup, or an `effectScope`) is disposed.
 * `manager` may be a ClientManager, a ref to one (or to null: the idle snapshot), or omitted:
 * the plugin's shared manager.
 */
export function useSnapshot(manager) {
  if (manager === undefined) {
    const shared = injectShared();
    const fallback = () => (shared.error.value ? errorSnapshot(shared.error.value) : idleSnapshot);
    return snapshotRef(shared.manager, fallback, shared.error);
  }
  return snapshotRef(manager, () => idleSnapshot, null);
}

// A read-only shallow ref following `source`'s manager (a manager, or a ref to one or null).
function snapshotRef(source, fallback, errorRef) {
  const state = shallowRef(idleSnapshot);
  let unsubscribe = null;
  const stop = () => {
    if (unsubscribe) unsubscribe();
    unsubscribe = null;
  };
  const follow = (m) => {
    stop();
    if (m) {
      markRaw(m);
      state.value = m.getSnapshot();
      unsubscribe = m.subscribe((snapshot) => {
        state.value = snapshot;
      });
    } else {
      state.value = fallback();
    }
  };
  if (getCurrentScope()) {
    onScopeDispose(stop);
  } else {
    console.warn(
      'fapi-session/vue: useSnapshot() called outside a component setup or effectScope: it never unsubscribes',
    );
  }
  if (isRef(source)) {
    // Stopped with the scope, like the subscription.
    watch(errorRef ? [source, errorRef] : [source], ([m]) => follow(m), {
      immediate: true,
      flush: 'sync',
    });
  } else {
    follow(source);
  }
  return shallowReadonly(state);
}

/** The active session as a computed ref (null when signed out). */
export function useSession(manager) {
  const snapshot = useSnapshot(manager);
  return computed(() => snapshot.value.session);
}

/** The active session's user as a computed ref (null when signed out). */
export function useUser(manager) {
  const snapshot = useSnapshot(manager);
  return computed(() => snapshot.value.user);
}

/** The cached client as a computed ref (null when there is none). */
export function useClient(manager) {
  const snapshot = useSnapshot(manager);
  return computed(() => snapshot.value.client);
}

/** The signed-in sessions (a switcher's list) as a computed ref, in the client's order. */
export function useSessions(manager) {
  const snapshot = useSnapshot(manager);
  return computed(() => snapshot.value.sessions);
}

/**
 * Who is signed in, and what to do about it: `{ isLoaded, isSignedIn, userId, sessionId }`
 * as computed refs, and `getToken`, `signOut`: plain functions that call the current
 * manager (`getToken` resolves `null` while there is none yet).
 */
export function useAuth(manager) {
  const snapshot = useSnapshot(manager);
  const target =
    manager === undefined ? useClientManager() : isRef(manager) ? manager : { value: manager };
  return {
    isLoaded: computed(() => snapshot.value.status === 'ready' || snapshot.value.status === 'error'),
    isSignedIn: computed(() => snapshot.value.isSignedIn),
    userId: computed(() => (snapshot.value.user ? snapshot.value.user.id : null)),
    sessionId: computed(() => (snapshot.value.session ? snapshot.value.session.id : null)),
    getToken: (options) => (target.value ? target.value.getToken(options) : Promise.resolve(null)),
    signOut: (options) =>
      target.value
        ? target.value.signOut(options)
        : Promise.reject(new Error('fapi-session/vue: no ClientManager yet')),
  };
}
