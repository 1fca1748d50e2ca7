// The page side of `make bench`: every timed loop runs here, in the browser, and hands the
// Node runner (bench/run.mjs) plain numbers. Served at /bench/bench.js by fapi-mock --static
// beside /pkg/ (the shipped package) and /bench-pkg/ (the same crate built with the cargo
// feature `bench`, whose raw class has `benchApplyAnswer`).
//
// Timing: performance.now() is coarse in Chromium (5-100 µs), so fast operations run in
// batches calibrated to last at least `minSampleMs`; a sample is one batch's time divided by
// its iterations. The manager and its floor alternate sample by sample, so load from other
// processes hits both alike.

const now = () => performance.now();

/** Deep freeze the plain-JS way (the floor's): every object reached, recursively. */
export function deepFreeze(o) {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const k in o) deepFreeze(o[k]);
  }
  return o;
}

/** A sink that the optimiser cannot prove dead: results are stored, never dropped. */
const sink = new Array(1024).fill(null);
let sinkAt = 0;
function keep(v) {
  sink[(sinkAt = (sinkAt + 1) & 1023)] = v;
}

/** Runs `batch(n)` with n doubling until one batch lasts `minMs`; returns that n. */
function calibrate(batch, minMs) {
  let n = 1;
  for (;;) {
    const t0 = now();
    batch(n);
    const dt = now() - t0;
    if (dt >= minMs) return n;
    n = dt <= minMs / 64 ? n * 16 : n * 2;
  }
}

/**
 * Times `batch(n)`; ns per iteration. A batch that ends far sooner than calibrated (the
 * calibration ran while the machine was busy, or the JIT has since sped it up) may be below
 * the timer's resolution and read 0: it is timed again with twice the iterations until it
 * lasts `minMs / 4`, so a sample is never 0 (a ratio against it would be infinite).
 */
function sample(batch, n, minMs) {
  for (let tries = 0; ; tries++) {
    const t0 = now();
    batch(n);
    const dt = now() - t0;
    if (dt >= minMs / 4 || (dt > 0 && tries >= 30)) return (dt * 1e6) / n;
    if (tries >= 40) throw new Error(`a batch of ${n} iterations took ${dt} ms: too fast to time`);
    n *= 2;
  }
}

/**
 * Samples each of `batches` (name -> batch(n)) `samples` times, round-robin. Returns
 * name -> { ns: [per-sample ns per iteration], iterations }.
 */
function compare(batches, { samples, minSampleMs }) {
  const names = Object.keys(batches);
  const iterations = {};
  for (const name of names) iterations[name] = calibrate(batches[name], minSampleMs);
  const out = Object.fromEntries(names.map((n) => [n, { ns: [], iterations: iterations[n] }]));
  for (let s = 0; s < samples; s++) {
    for (const name of names) out[name].ns.push(sample(batches[name], iterations[name], minSampleMs));
  }
  return out;
}

// --- 1. update cost ---------------------------------------------------------------------

/**
 * A body whose client `updated_at` and active session `last_active_at` move forward on
 * every `next()`, rewritten in place in its UTF-8 bytes (same length): each apply is a
 * genuine change that is newer than the last (the manager drops an answer older than what it
 * holds, by `updated_at`, so two alternating bodies would not do).
 */
export function ticker(text) {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new Error('ticker: the body must be ASCII');
  const bytes = new TextEncoder().encode(text);
  const field = (at, name) => {
    const start = at + name.length;
    let end = start;
    while (bytes[end] >= 48 && bytes[end] <= 57) end++;
    return { start, base: Number(text.slice(start, end)), width: end - start };
  };
  const updated = field(text.lastIndexOf('"updated_at":'), '"updated_at":');
  const active = field(text.indexOf('"last_active_at":'), '"last_active_at":');
  let k = 0;
  const put = (f, v) => {
    const digits = String(v);
    if (digits.length !== f.width) throw new Error('ticker: the timestamp changed width');
    for (let i = 0; i < f.width; i++) bytes[f.start + i] = digits.charCodeAt(i);
  };
  return {
    bytes,
    next() {
      k++;
      put(updated, updated.base + k);
      put(active, active.base + k);
      return bytes;
    },
  };
}

/**
 * For each body size: the manager applying an answer through `benchApplyAnswer` (parse,
 * change detection, snapshot, the wrapper's sink and one listener) against the floor
 * (`JSON.parse` of the same text, deep freeze, one listener call), for a changed answer
 * (each newer than the last: see `ticker`) and an identical one (the last answer again).
 *
 * @param {{ api: string, bodies: Record<string, {a: string, b: string}>, samples: number,
 *           minSampleMs: number }} o
 */
export async function updateCost({ api, bodies, samples, minSampleMs }) {
  const glue = await import('/bench-pkg/fapi_session.js');
  await glue.default();
  const results = {};
  for (const [size, { a, b }] of Object.entries(bodies)) {
    const body = ticker(a);
    const texts = [a, b];
    // As the package's ClientManager wraps it: a sink caching the snapshot, one listener.
    const wrapper = { snapshot: null };
    let events = 0;
    const raw = new glue.RawClientManager({ frontendApi: api }, (s) => {
      wrapper.snapshot = s;
    });
    raw.subscribe((s) => {
      events++;
      keep(s);
    });
    const floorListener = (s) => keep(s);
    raw.benchApplyAnswer(200, body.bytes);
    const checks = {};
    const check = (name, fn, times) => {
      const before = events;
      const snap = wrapper.snapshot;
      for (let i = 0; i < times; i++) fn();
      checks[name] = { events: (events - before) / times, sameSnapshot: wrapper.snapshot === snap };
    };
    check('changed', () => raw.benchApplyAnswer(200, body.next()), 4);
    check('identical', () => raw.benchApplyAnswer(200, body.bytes), 4);
    const sessions = wrapper.snapshot.client.sessions.length;

    const changed = compare(
      {
        manager(n) {
          for (let i = 0; i < n; i++) raw.benchApplyAnswer(200, body.next());
        },
        floor(n) {
          for (let i = 0; i < n; i++) floorListener(deepFreeze(JSON.parse(texts[i & 1])));
        },
      },
      { samples, minSampleMs },
    );
    const identical = compare(
      {
        manager(n) {
          const same = body.bytes;
          for (let i = 0; i < n; i++) raw.benchApplyAnswer(200, same);
        },
        floor(n) {
          for (let i = 0; i < n; i++) floorListener(deepFreeze(JSON.parse(a)));
        },
      },
      { samples, minSampleMs },
    );
    const totalEvents = events;
    raw.dispose();
    raw.free();
    results[size] = { sessions, bodyBytes: body.bytes.length, checks, changed, identical, events: totalEvents };
  }
  return results;
}

// --- 2. end-to-end refresh -------------------------------------------------------------

async function touch(api, sessionId) {
  const res = await fetch(`${api}/v1/client/sessions/${sessionId}/touch`, {
    method: 'POST',
    credentials: 'include',
  });
  if (!res.ok) throw new Error(`touch: ${res.status}`);
  await res.arrayBuffer();
}

/**
 * `refresh()` from the call to the event (changed: the session is touched on the server
 * before each, outside the timed part) or to the promise (identical: nothing changed, no
 * event), against the floor: fetch with credentials, JSON.parse, deep freeze, one listener
 * call. The page must be signed in. One request per sample, timed one by one.
 */
export async function refresh({ api, samples }) {
  const { createClientManager } = await import('/pkg/index.js');
  const m = await createClientManager({ frontendApi: api });
  await m.load();
  const sessionId = m.session && m.session.id;
  if (!sessionId) throw new Error('refresh bench: the page is not signed in');
  let resolveEvent = null;
  let events = 0;
  m.subscribe((s) => {
    events++;
    keep(s);
    if (resolveEvent) resolveEvent();
  });
  const floorListener = (s) => keep(s);
  const floor = async () => {
    const res = await fetch(`${api}/v1/client`, { credentials: 'include' });
    floorListener(deepFreeze(JSON.parse(await res.text())));
  };
  const out = {
    changed: { manager: [], floor: [], events: 0 },
    identical: { manager: [], floor: [], events: 0 },
  };
  // Warm up the connection, the JIT and the server.
  for (let i = 0; i < 3; i++) {
    await m.refresh();
    await floor();
  }
  for (let s = 0; s < samples; s++) {
    await touch(api, sessionId);
    const before = events;
    let t0 = now();
    await new Promise((resolve, reject) => {
      resolveEvent = resolve;
      m.refresh().catch(reject);
    });
    out.changed.manager.push((now() - t0) * 1e3);
    resolveEvent = null;
    out.changed.events += events - before;
    await touch(api, sessionId);
    t0 = now();
    await floor();
    out.changed.floor.push((now() - t0) * 1e3);
  }
  // The last floor sample followed a touch: take that change in first.
  await m.refresh();
  for (let s = 0; s < samples; s++) {
    const before = events;
    let t0 = now();
    await m.refresh();
    out.identical.manager.push((now() - t0) * 1e3);
    out.identical.events += events - before;
    t0 = now();
    await floor();
    out.identical.floor.push((now() - t0) * 1e3);
  }
  m.dispose();
  return out; // µs per refresh
}

// --- 3. reads -----------------------------------------------------------------------------

/**
 * ns per call of `getSnapshot()` (as a method and unbound, the way React calls it), the
 * `client`/`session`/`user` getters, and the raw class's `getSnapshot()` (a wasm call),
 * against reading one property of a plain object. Four managers and four objects, taken in
 * turn, so no read can be hoisted out of the loop; every result is stored.
 */
export async function reads({ api, samples, minSampleMs }) {
  const { createClientManager } = await import('/pkg/index.js');
  const glue = await import('/pkg/fapi_session.js');
  const managers = [];
  for (let i = 0; i < 4; i++) {
    const m = await createClientManager({ frontendApi: api });
    await m.load();
    managers.push(m);
  }
  if (!managers[0].session) throw new Error('reads bench: the page is not signed in');
  const getters = managers.map((m) => m.getSnapshot);
  const plains = managers.map((m) => ({ snapshot: m.getSnapshot(), status: 'ready' }));
  const raws = managers.map(() => new glue.RawClientManager({ frontendApi: api }));
  const r = compare(
    {
      plainProperty(n) {
        for (let i = 0; i < n; i++) keep(plains[i & 3].snapshot);
      },
      getSnapshot(n) {
        for (let i = 0; i < n; i++) keep(managers[i & 3].getSnapshot());
      },
      getSnapshotUnbound(n) {
        for (let i = 0; i < n; i++) keep(getters[i & 3]());
      },
      client(n) {
        for (let i = 0; i < n; i++) keep(managers[i & 3].client);
      },
      session(n) {
        for (let i = 0; i < n; i++) keep(managers[i & 3].session);
      },
      user(n) {
        for (let i = 0; i < n; i++) keep(managers[i & 3].user);
      },
      rawGetSnapshot(n) {
        for (let i = 0; i < n; i++) keep(raws[i & 3].getSnapshot());
      },
    },
    { samples, minSampleMs },
  );
  for (const m of managers) m.dispose();
  for (const raw of raws) raw.free();
  return r;
}

// --- 4. concurrency -----------------------------------------------------------------------

/** Starts `count` concurrent calls of `what` ('load', 'refresh' or 'mixed': loads and
 * refreshes alternating) on a fresh manager (loaded first for 'refresh') and waits for all.
 * `prepare` resolves once the manager is ready; the runner clears the mock's log between. */
export async function concurrencyPrepare({ api, what }) {
  const { createClientManager } = await import('/pkg/index.js');
  const m = await createClientManager({ frontendApi: api });
  if (what === 'refresh') await m.load();
  window.__benchManager = m;
}

export async function concurrencyRun({ what, count }) {
  const m = window.__benchManager;
  const calls = [];
  for (let i = 0; i < count; i++) {
    const op = what === 'mixed' ? (i & 1 ? 'refresh' : 'load') : what;
    calls.push(m[op]());
  }
  const snaps = await Promise.all(calls);
  const distinct = new Set(snaps).size;
  m.dispose();
  window.__benchManager = null;
  return { calls: count, distinctSnapshots: distinct };
}

// --- 5. memory ----------------------------------------------------------------------------

let memState = null;

/** Loads the bench package, keeps its wasm memory, and prepares the managers and bodies the
 * memory phases use. */
export async function memorySetup({ api, body }) {
  const index = await import('/bench-pkg/index.js');
  const glue = await import('/bench-pkg/fapi_session.js');
  const exports = await glue.default();
  const subscribeManager = await index.createClientManager({ frontendApi: api });
  await subscribeManager.load();
  const raw = new glue.RawClientManager({ frontendApi: api }, () => {});
  raw.subscribe((s) => keep(s));
  memState = {
    api,
    index,
    memory: exports.memory,
    subscribeManager,
    raw,
    body: ticker(body),
  };
  raw.benchApplyAnswer(200, memState.body.bytes);
}

/** The wasm memory's size in bytes. */
export function wasmBytes() {
  return memState.memory.buffer.byteLength;
}

/** Runs `cycles` cycles of a memory phase; resolves with the ms it took. */
export async function memoryPhase({ phase, cycles }) {
  const t0 = now();
  const s = memState;
  if (phase === 'control') {
    // Nothing: the noise of measuring.
  } else if (phase === 'subscribe') {
    const m = s.subscribeManager;
    for (let i = 0; i < cycles; i++) {
      const unsubscribe = m.subscribe((snap) => keep(snap));
      unsubscribe();
    }
    if (m.listenerCount !== 0) throw new Error(`listenerCount ${m.listenerCount} after the cycles`);
  } else if (phase === 'refresh') {
    const before = s.raw.getSnapshot().version;
    for (let i = 0; i < cycles; i++) s.raw.benchApplyAnswer(200, s.body.next());
    const changes = s.raw.getSnapshot().version - before;
    if (changes !== cycles) throw new Error(`${changes} changes in ${cycles} refreshes`);
  } else if (phase === 'create') {
    for (let i = 0; i < cycles; i++) {
      const m = await s.index.createClientManager({ frontendApi: s.api });
      const unsubscribe = m.subscribe((snap) => keep(snap));
      await m.load();
      unsubscribe();
      m.dispose();
    }
  } else {
    throw new Error(`unknown memory phase ${phase}`);
  }
  sink.fill(null);
  return now() - t0;
}

// --- 6. start-up --------------------------------------------------------------------------

/** In a fresh page: import the entry module, `createClientManager` until it resolves (wasm
 * fetch, compile, instantiate, construct), then the first `load()`. ms each. */
export async function startup({ api }) {
  const t0 = now();
  const { createClientManager } = await import('/pkg/index.js');
  const t1 = now();
  const m = await createClientManager({ frontendApi: api });
  const t2 = now();
  const snap = await m.load();
  const t3 = now();
  const signedIn = snap.isSignedIn;
  m.dispose();
  return { importMs: t1 - t0, readyMs: t2 - t1, firstLoadMs: t3 - t2, signedIn };
}
