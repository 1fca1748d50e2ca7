// The mock Frontend API (tests/fapi-mock) as a child process.
//
//   import { startMock } from './lib/mock.mjs';
//   const api = await startMock();                        // --addr 127.0.0.1:0 --control
//   const site = await startMock(['--static', dir]);      // also serves dir at /
//   const seed = await startMock(['--dialect', 'seed']);
//   await api.reset();                                    // POST /__mock/reset
//   await api.control('/faults', { path: '/v1/client', delay_ms: 2000 });
//   const entries = await api.log();                      // GET /__mock/log
//   await api.stop();                                     // also happens at process exit
//
// The binary must be built (`cargo build -p fapi-mock`; scripts/e2e-tests.sh does it).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { MOCK_BIN } from './paths.mjs';

/** The users the mock knows from the start. */
export const SEEDED_USERS = Object.freeze([
  Object.freeze({ identifier: 'boss@clerk.dev', password: 'boss-password-1', name: 'Boss Clerk' }),
  Object.freeze({ identifier: 'ada@example.com', password: 'ada-password-1', name: 'Ada Lovelace' }),
]);

const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `fapi-mock` with `--addr 127.0.0.1:0 --control` and the extra `args`, and waits
 * (at most `timeoutMs`) for its `listening on URL` line. Resolves with a handle:
 * - `url`: `http://127.0.0.1:PORT` (no trailing slash), also the Frontend API origin;
 * - `control(path, body?, {method}?)`: a control-plane call under `/__mock` (POST with a
 *   JSON body by default); resolves with the parsed JSON answer, or null for 204;
 *   rejects on a non-2xx answer;
 * - `reset()`, `log()`: `POST /__mock/reset`, `GET /__mock/log`;
 * - `output()`: what the mock printed so far (stdout and stderr);
 * - `stop()`: kills it and waits for the exit; idempotent.
 *
 * @param {string[]} [args]
 * @param {{ timeoutMs?: number }} [options]
 */
export async function startMock(args = [], options = {}) {
  if (!existsSync(MOCK_BIN)) {
    throw new Error(`${MOCK_BIN} is missing: run cargo build -p fapi-mock (scripts/e2e-tests.sh does)`);
  }
  const fullArgs = [...(args.includes('--addr') ? [] : ['--addr', '127.0.0.1:0']), ...(args.includes('--control') ? [] : ['--control']), ...args];
  const child = spawn(MOCK_BIN, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let printed = '';
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    printed += chunk;
  });

  const timeoutMs = options.timeoutMs ?? 30_000;
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    let found = false;
    const timer = setTimeout(() => {
      fail(new Error(`fapi-mock printed no listening line within ${timeoutMs} ms; output:\n${printed}`));
    }, timeoutMs);
    function fail(error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    lines.on('line', (line) => {
      printed += line + '\n';
      const m = !found && /listening on (http:\/\/\S+)/.exec(line);
      if (m) {
        found = true;
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    // Keeps draining stdout after the line so the mock never blocks on a full pipe.
    child.once('error', (e) => fail(new Error(`fapi-mock could not start: ${e.message}`)));
    exited.then(({ code, signal }) => {
      if (!found) fail(new Error(`fapi-mock exited (${code ?? signal}) before listening; output:\n${printed}`));
    });
  });

  async function control(path, body, { method = 'POST' } = {}) {
    const init = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await fetch(`${url}/__mock${path}`, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /__mock${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  let stopping;
  return {
    url,
    args: fullArgs,
    process: child,
    control,
    reset: () => control('/reset'),
    log: () => control('/log', undefined, { method: 'GET' }),
    output: () => printed,
    stop() {
      if (!stopping) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        stopping = exited;
      }
      return stopping;
    },
  };
}
