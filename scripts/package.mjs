// Post-build step, run after `wasm-pack build --target web --out-dir pkg` (or `--out DIR`):
// copies the hand-written entry points into pkg/, links the FapiError class that the wasm
// glue imports as a snippet, and writes the package.json users install.
import { readFileSync, writeFileSync, copyFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--out DIR`: a wasm-pack output folder other than pkg/ (the bench build uses one).
const outAt = process.argv.indexOf('--out');
const pkg = outAt >= 0 ? process.argv[outAt + 1] : join(root, 'pkg');
const js = join(root, 'js');

function find(dir, name) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const hit = find(path, name);
      if (hit) return hit;
    } else if (entry === name) {
      return path;
    }
  }
  return null;
}

const snippet = existsSync(join(pkg, 'snippets')) && find(join(pkg, 'snippets'), 'fapi_error.js');
if (!snippet) throw new Error('package: the FapiError snippet is missing from pkg/snippets');
const rel = './' + relative(pkg, snippet).split('\\').join('/');
writeFileSync(
  join(pkg, 'fapi_error.js'),
  `// The FapiError class, the same module instance the wasm glue uses.\nexport { FapiError } from '${rel}';\n`,
);

const entries = ['index.js', 'index.d.ts', 'react.js', 'react.d.ts', 'vue.js', 'vue.d.ts'];
const copied = [];
for (const file of entries) {
  if (existsSync(join(js, file))) {
    copyFileSync(join(js, file), join(pkg, file));
    copied.push(file);
  }
}

const generated = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const field = (name) => (cargo.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, 'm')) || [])[1];

const exportsMap = { '.': { types: './index.d.ts', default: './index.js' } };
for (const sub of ['react', 'vue']) {
  if (copied.includes(`${sub}.js`)) {
    exportsMap[`./${sub}`] = { types: `./${sub}.d.ts`, default: `./${sub}.js` };
  }
}
exportsMap['./fapi_session_bg.wasm'] = './fapi_session_bg.wasm';
exportsMap['./package.json'] = './package.json';

const manifest = {
  name: 'fapi-session',
  version: field('version') || generated.version,
  description: field('description') || generated.description,
  license: field('license') || generated.license,
  repository: { type: 'git', url: field('repository') || '' },
  type: 'module',
  main: './index.js',
  module: './index.js',
  types: './index.d.ts',
  exports: exportsMap,
  files: [
    ...copied,
    'fapi_error.js',
    'fapi_session.js',
    'fapi_session.d.ts',
    'fapi_session_bg.wasm',
    'fapi_session_bg.wasm.d.ts',
    'snippets/',
    'README.md',
  ],
  sideEffects: false,
  peerDependencies: { react: '>=18', vue: '>=3.3' },
  peerDependenciesMeta: { react: { optional: true }, vue: { optional: true } },
};
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
if (existsSync(join(root, 'README.md'))) copyFileSync(join(root, 'README.md'), join(pkg, 'README.md'));
console.log(`package: ${relative(root, pkg) || pkg}/ ready (${copied.join(', ')}; FapiError from ${rel})`);
