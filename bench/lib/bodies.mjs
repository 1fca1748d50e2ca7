// `/v1/client` answers of 1, 10 and 100 sessions for the update-cost benchmark, made from one
// real answer of fapi-mock (current dialect) by replicating its session with distinct ids
// (each session its own user, as on a multi-account browser).
//
// Each size comes as a pair: `a`, and `b` = `a` with the first (active) session's
// `last_active_at` and the client's `updated_at` one second later: what a touch changes.

/** Replaces every occurrence of the ids in `ids` inside `value` (a JSON value) with id + suffix. */
function renameIds(value, ids, suffix) {
  let text = JSON.stringify(value);
  for (const id of ids) text = text.split(id).join(`${id}${suffix}`);
  return JSON.parse(text);
}

/**
 * @param {string} template the text of a signed-in `GET /v1/client` answer
 *   (`{"response": client, "client": null}`) with one session
 * @param {number[]} sizes session counts
 * @returns {Record<string, {a: string, b: string, sessions: number}>}
 */
export function makeBodies(template, sizes = [1, 10, 100]) {
  const envelope = JSON.parse(template);
  const client = envelope.response;
  if (!client || !Array.isArray(client.sessions) || client.sessions.length !== 1) {
    throw new Error('bodies: the template must be a signed-in client with one session');
  }
  const [session] = client.sessions;
  const user = session.user;
  const ids = [session.id, user.id, ...user.email_addresses.map((e) => e.id)];
  const out = {};
  for (const n of sizes) {
    const sessions = [];
    for (let i = 0; i < n; i++) {
      const copy = i === 0 ? structuredClone(session) : renameIds(session, ids, `_${i}`);
      if (i > 0) {
        copy.user.username = `${user.username}${i}`;
        copy.user.email_addresses[0].email_address = `user${i}@example.com`;
        copy.last_active_at -= i * 60_000;
      }
      sessions.push(copy);
    }
    const a = { ...envelope, response: { ...client, sessions } };
    const b = structuredClone(a);
    b.response.sessions[0].last_active_at += 1000;
    b.response.updated_at += 1000;
    out[n] = { a: JSON.stringify(a), b: JSON.stringify(b), sessions: n };
  }
  return out;
}
