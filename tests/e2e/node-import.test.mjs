// The package in plain Node (no DOM): importing it must not crash (SSR, tests, tooling),
// and using it must fail cleanly with a FapiError of kind 'config'.
//
// pkg/ is installed as tests/e2e/node_modules/fapi-session (a fresh copy), so imports go
// through its package.json `exports` as a user's would, and the adapters find the
// react/vue devDependencies of tests/e2e.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PKG, ROOT } from './lib/paths.mjs';

const INSTALLED = join(ROOT, 'tests', 'e2e', 'node_modules', 'fapi-session');
const entry = (file) => {
  const sub = file === 'index.js' ? '' : `/${file.replace(/\.js$/, '')}`;
  return `fapi-session${sub}`;
};

before(() => {
  rmSync(INSTALLED, { recursive: true, force: true });
  cpSync(PKG, INSTALLED, { recursive: true });
});

test('pkg/index.js imports in Node without a DOM', async () => {
  assert.equal(typeof globalThis.window, 'undefined');
  assert.equal(typeof globalThis.document, 'undefined');
  const mod = await import(entry('index.js'));
  assert.equal(typeof mod.createClientManager, 'function');
  assert.equal(typeof mod.initFapiSession, 'function');
  assert.equal(typeof mod.ClientManager, 'function');
  assert.equal(typeof mod.FapiError, 'function');
});

test('createClientManager rejects with a FapiError of kind config outside a browser', async () => {
  const { createClientManager, initFapiSession, FapiError } = await import(entry('index.js'));
  for (const attempt of [
    () => createClientManager({ frontendApi: 'https://clerk.example.com' }),
    () => initFapiSession(),
  ]) {
    await assert.rejects(attempt(), (e) => {
      assert.ok(e instanceof FapiError, `not a FapiError: ${e}`);
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'FapiError');
      assert.equal(e.kind, 'config');
      assert.deepEqual([...e.errors], []);
      return true;
    });
  }
});

test('new ClientManager before the wasm is loaded throws kind config', async () => {
  const { ClientManager, FapiError } = await import(entry('index.js'));
  assert.throws(
    () => new ClientManager({ frontendApi: 'https://clerk.example.com' }),
    (e) => e instanceof FapiError && e.kind === 'config',
  );
});

test('FapiError is the same class from the entry and from pkg/fapi_error.js', async () => {
  const a = await import(entry('index.js'));
  const b = await import(join(INSTALLED, 'fapi_error.js'));
  assert.equal(a.FapiError, b.FapiError);
  const e = new a.FapiError('boom', { kind: 'http', status: 503, code: 'x', traceId: 't', retryAfter: 2 });
  assert.equal(e.message, 'boom');
  assert.deepEqual(
    { kind: e.kind, status: e.status, code: e.code, traceId: e.traceId, retryAfter: e.retryAfter },
    { kind: 'http', status: 503, code: 'x', traceId: 't', retryAfter: 2 },
  );
});

for (const adapter of ['react.js', 'vue.js']) {
  test(`fapi-session/${adapter.replace('.js', '')} imports in Node without a DOM (when built)`, async (t) => {
    if (!existsSync(join(PKG, adapter))) {
      t.skip(`pkg/${adapter} is not part of this build`);
      return;
    }
    const manifest = JSON.parse(readFileSync(join(INSTALLED, 'package.json'), 'utf8'));
    assert.ok(manifest.exports[`./${adapter.replace('.js', '')}`], `package.json exports lacks ./${adapter}`);
    const mod = await import(entry(adapter));
    assert.ok(Object.keys(mod).length > 0, `pkg/${adapter} exports nothing`);
    assert.equal(typeof globalThis.window, 'undefined', 'importing it defined window');
  });
}
