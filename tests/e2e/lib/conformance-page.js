// Served to the conformance test's pages as /conformance.js (tests/e2e/conformance.test.mjs):
// the flow's steps run by one function over two adapters, the official clerk-js (its
// browser bundle's `window.Clerk`) and fapi-session (/pkg/index.js), each through its
// public API only.
//
//   const { runStep } = await import('/conformance.js');
//   await runStep('clerk-js', 'sign in Boss', { users: [boss, ada] });

/** clerk-js: `window.Clerk`, made by the browser bundle from its script tag. */
const clerkJs = {
  async load() {
    window.navigations = [];
    // Its router hooks instead of a full-page navigation after a sign-out.
    await window.Clerk.load({
      routerPush: (to) => window.navigations.push(to),
      routerReplace: (to) => window.navigations.push(to),
    });
    return window.Clerk.loaded;
  },
  async signIn(identifier, password) {
    const clerk = window.Clerk;
    const signIn = await clerk.client.signIn.create({ identifier, password });
    await clerk.setActive({ session: signIn.createdSessionId });
    return { status: signIn.status, sessionId: signIn.createdSessionId };
  },
  getToken: (options) => window.Clerk.session.getToken(options),
  setActive: (sessionId) => window.Clerk.setActive({ session: sessionId }),
  signOut: (options) => window.Clerk.signOut(options),
  state() {
    const clerk = window.Clerk;
    return { client: clerk.client?.id ?? null, active: clerk.session?.id ?? null, navigations: window.navigations };
  },
};

/** fapi-session: a manager made with `options`. */
const fapiSession = {
  async load(options) {
    const { createClientManager } = await import('/pkg/index.js');
    window.manager = await createClientManager(options);
    return (await window.manager.load()).status === 'ready';
  },
  async signIn(identifier, password) {
    const signIn = await window.manager.signIn({ identifier, password });
    return { status: signIn.status, sessionId: signIn.created_session_id };
  },
  getToken: (options) => window.manager.getToken(options),
  setActive: (sessionId) => window.manager.setActive(sessionId),
  signOut: (options) => window.manager.signOut(options),
  state() {
    const snap = window.manager.getSnapshot();
    return { client: snap.client?.id ?? null, active: snap.session?.id ?? null };
  },
};

const ADAPTERS = { 'clerk-js': clerkJs, 'fapi-session': fapiSession };

/**
 * Runs one step of the flow with the named client and resolves with what it says
 * afterwards (`client` id, `active` session id) plus the step's own findings.
 *
 * @param {'clerk-js'|'fapi-session'} name
 * @param {string} step
 * @param {{ users: [{identifier, password}, {identifier, password}], options?: object }} context
 */
export async function runStep(name, step, { users: [boss, ada], options }) {
  const client = ADAPTERS[name];
  const ids = (window.sessionIds ||= {});
  const out = {};
  if (step === 'load') out.loaded = await client.load(options);
  else if (step === 'sign in Boss' || step === 'sign in Ada') {
    const user = step === 'sign in Boss' ? boss : ada;
    const { status, sessionId } = await client.signIn(user.identifier, user.password);
    out.status = status;
    ids[user.identifier] = sessionId;
  } else if (step === 'token') {
    out.token = await client.getToken();
    out.fresh = await client.getToken({ skipCache: true });
  } else if (step === 'switch to Boss') await client.setActive(ids[boss.identifier]);
  else if (step === 'sign out Boss') await client.signOut({ sessionId: ids[boss.identifier] });
  else if (step === 'sign out all') await client.signOut();
  else throw new Error(`unknown step ${step}`);
  return { ...out, ...client.state() };
}
