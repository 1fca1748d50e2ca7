// The package's TypeScript types: js/index.d.ts, js/react.d.ts and js/vue.d.ts compile
// under --strict with usage files (types/usage.ts, usage-react.tsx against @types/react,
// usage-vue.ts against vue; their @ts-expect-error lines must stay errors), and pkg/ ships them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PKG, ROOT } from './lib/paths.mjs';

const run = promisify(execFile);
const here = join(ROOT, 'tests', 'e2e');

test('tsc --strict accepts js/{index,react,vue}.d.ts and the usage files in types/', { timeout: 120_000 }, async () => {
  const tsc = join(here, 'node_modules', '.bin', 'tsc');
  try {
    await run(tsc, ['-p', join(here, 'types'), '--strict', '--noEmit'], { cwd: here });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

test('pkg/ ships js/index.d.ts as the types of its entry', () => {
  const manifest = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
  assert.equal(manifest.types, './index.d.ts');
  assert.equal(manifest.exports['.'].types, './index.d.ts');
  assert.ok(manifest.files.includes('index.d.ts'), 'index.d.ts is in files');
  assert.ok(existsSync(join(PKG, 'index.d.ts')), 'pkg/index.d.ts exists (make build)');
  assert.equal(
    readFileSync(join(PKG, 'index.d.ts'), 'utf8'),
    readFileSync(join(ROOT, 'js', 'index.d.ts'), 'utf8'),
    'pkg/index.d.ts is stale: make build',
  );
});

test('@types/react is the React version tests/e2e installs (same major.minor)', () => {
  const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
  const installed = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
  const minor = (v) => v.split('.').slice(0, 2).join('.');
  assert.equal(minor(manifest.devDependencies['@types/react']), minor(manifest.devDependencies.react));
  assert.equal(installed('@types/react'), manifest.devDependencies['@types/react'], 'npm ci in tests/e2e');
});

test('pkg/ ships js/react.d.ts and js/vue.d.ts as the types of ./react and ./vue', () => {
  const manifest = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
  for (const name of ['react', 'vue']) {
    assert.equal(manifest.exports[`./${name}`].types, `./${name}.d.ts`);
    assert.equal(
      readFileSync(join(PKG, `${name}.d.ts`), 'utf8'),
      readFileSync(join(ROOT, 'js', `${name}.d.ts`), 'utf8'),
      `pkg/${name}.d.ts is stale: make build`,
    );
  }
});

test('index.d.ts declares every runtime export of pkg/index.js', async () => {
  const mod = await import(join(PKG, 'index.js'));
  const dts = readFileSync(join(ROOT, 'js', 'index.d.ts'), 'utf8');
  for (const name of Object.keys(mod)) {
    assert.match(dts, new RegExp(`export (declare )?(function|class|const) ${name}\\b`), `${name} is not declared`);
  }
});
