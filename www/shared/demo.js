// Helpers shared by the React and Vue demo apps (plain JS, no framework).

// The mock serves this app and the Frontend API on one origin; `?api=URL` points elsewhere
// (e.g. `npm run dev` against a separately started fapi-mock).
export const frontendApi = new URLSearchParams(location.search).get('api') || location.origin;

export const SEEDED = [
  { identifier: 'boss@clerk.dev', password: 'boss-password-1' },
  { identifier: 'ada@example.com', password: 'ada-password-1' },
];

// What the app is doing, for the event log's "cause" column.
const activeCauses = [];
export async function track(cause, action) {
  activeCauses.push(cause);
  try {
    return await action();
  } finally {
    activeCauses.splice(activeCauses.indexOf(cause), 1);
  }
}

/** The cause of a change, for the event log: the manager's (`snapshot.cause`: load,
 * refresh, create, destroy, error), after the app's action when that differs (sign-in). */
export function causeOf(snapshot) {
  const action = activeCauses[activeCauses.length - 1];
  const cause = snapshot.cause || 'unknown';
  return action && action !== cause ? `${action}: ${cause}` : cause;
}

export function fullName(user) {
  return [user.first_name, user.last_name].filter(Boolean).join(' ') || user.id;
}

export function primaryEmail(user) {
  const found = (user.email_addresses || []).find((e) => e.id === user.primary_email_address_id);
  return found ? found.email_address : '';
}

export function describe(snapshot) {
  const who = snapshot.user ? `signed in as ${fullName(snapshot.user)}` : 'signed out';
  const error = snapshot.error ? `, error ${snapshot.error.kind}` : '';
  return `${snapshot.status}, ${who}${error} (version ${snapshot.version})`;
}

export function clock() {
  return new Date().toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
  });
}

/** Signs in with the manager's `signIn()`: the client its answer piggybacks is applied at
 * once (cause `signIn`), with no second request. A wrong password rejects with a FapiError
 * whose message is the Frontend API's. */
export async function signIn(manager, identifier, password) {
  const attempt = await manager.signIn({ identifier, password });
  if (attempt && attempt.status !== 'complete') {
    throw new Error(`sign-in needs more: ${attempt.status}`);
  }
}

/** The claims of a JWT (not verified: the app's backend does that). */
export function decodeClaims(jwt) {
  const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(payload));
}

/** Seconds until a token's `exp`. */
export function secondsLeft(claims) {
  return Math.max(0, Math.round(claims.exp - Date.now() / 1000));
}
