// Served to test pages as /helpers.js (see makeSite's `helpers` option): small browser-side
// helpers that page.evaluate() code imports with `await import('/helpers.js')`.

/** Signs in through the Frontend API's `POST /v1/client/sign_ins` (password strategy),
 * with the page's cookies for `api`, as a sign-in form would. Resolves with the answer. */
export async function signIn(api, identifier, password) {
  const res = await fetch(`${api}/v1/client/sign_ins`, {
    method: 'POST',
    credentials: 'include',
    body: new URLSearchParams({ strategy: 'password', identifier, password }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sign-in as ${identifier}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** The fields of an error, as plain data for the test process to assert on. */
export function describeError(e, FapiError) {
  if (!(e instanceof Error)) return { notAnError: String(e) };
  return {
    isFapiError: FapiError ? e instanceof FapiError : undefined,
    isError: e instanceof Error,
    name: e.name,
    message: e.message,
    kind: e.kind,
    status: e.status,
    code: e.code,
    errors: Array.isArray(e.errors) ? JSON.parse(JSON.stringify(e.errors)) : e.errors,
    errorsFrozen: Object.isFrozen(e.errors),
    traceId: e.traceId,
    retryAfter: e.retryAfter,
  };
}

/** Calls `fn` and resolves with its error described (or `{resolved: value}`). */
export async function failure(fn, FapiError) {
  try {
    return { resolved: await fn() };
  } catch (e) {
    return describeError(e, FapiError);
  }
}

/** A snapshot as plain data (its `error` described). */
export function plain(snapshot, FapiError) {
  return {
    ...JSON.parse(JSON.stringify({ ...snapshot, error: null })),
    error: snapshot.error ? describeError(snapshot.error, FapiError) : null,
  };
}
