// Building the Vite demo apps (www/react, www/vue) and other npm projects for the tests.
//
//   import { buildApp, run } from './lib/apps.mjs';
//   const dist = await buildApp('react');                       // npm ci when needed, vite build
//   const dev = await buildApp('react', { development: true, outDir: '/tmp/x' });
//   await run('npm', ['pack'], { cwd });                        // rejects with the output
//   const packed = await packPackage(tmp);                      // npm pack pkg/ into tmp
//   const app = await makeViteApp(join(tmp, 'app'), { tarball: packed.tarball,
//     dependencies: { react: '18.3.1' }, files: { 'src/main.js': '...' } });
//   await viteBuild(app, { development: true });                // app/dist
//   const wp = await makeWebpackApp(join(tmp, 'wp'), { tarball: packed.tarball,
//     files: { 'src/index.js': '...' } });                      // webpack + webpack-cli
//   await webpackBuild(wp);                                     // wp/dist
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PKG, WWW } from './paths.mjs';

/**
 * Runs a command; resolves with its stdout, rejects with everything it printed when it
 * fails or outlives `timeoutMs` (default 5 minutes).
 *
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string,string>, timeoutMs?: number }} [options]
 */
export function run(cmd, args, options = {}) {
  const { cwd, env, timeoutMs = 300_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} could not start: ${e.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else {
        reject(
          new Error(
            `${cmd} ${args.join(' ')} (in ${cwd || '.'}) failed (${code ?? signal}):\n${out}\n${err}`,
          ),
        );
      }
    });
  });
}

/** Whether `dir`'s node_modules is missing or older than its package-lock.json. */
function needsInstall(dir) {
  const installed = join(dir, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return true;
  return statSync(installed).mtimeMs < statSync(join(dir, 'package-lock.json')).mtimeMs;
}

// One `npm ci` per folder at a time, however many builds of it start together.
const installs = new Map();
function install(dir) {
  if (!installs.has(dir)) {
    installs.set(
      dir,
      needsInstall(dir)
        ? run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir })
        : Promise.resolve(),
    );
  }
  return installs.get(dir);
}

/**
 * Builds the demo app `www/<name>` with Vite and resolves with the output folder: its
 * `dist/`, or `outDir`. `development: true` builds with React/Vue's development code (so
 * React's StrictMode double-mounts). Runs `npm ci` first when node_modules is missing or
 * stale. The app depends on the built package (`file:../../pkg`, a link).
 *
 * @param {'react'|'vue'} name
 * @param {{ development?: boolean, outDir?: string }} [options]
 */
export async function buildApp(name, options = {}) {
  const dir = join(WWW, name);
  await install(dir);
  return viteBuild(dir, options);
}

/**
 * Builds the Vite app in `dir` (its own vite) and resolves with the output folder: `dist/`,
 * or `outDir`. `development: true` builds with React/Vue's development code.
 *
 * @param {string} dir
 * @param {{ development?: boolean, outDir?: string }} [options]
 */
export async function viteBuild(dir, options = {}) {
  const outDir = options.outDir || join(dir, 'dist');
  const args = ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
  const env = {};
  if (options.development) {
    args.push('--mode', 'development');
    env.NODE_ENV = 'development';
  }
  await run('npx', ['--no-install', ...args], { cwd: dir, env });
  return outDir;
}

/** The version of `name` that www/<app>'s lock file pins. */
export function lockedVersion(name, app = 'react') {
  const lock = JSON.parse(readFileSync(join(WWW, app, 'package-lock.json'), 'utf8'));
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry) throw new Error(`www/${app}/package-lock.json has no ${name}`);
  return entry.version;
}

/**
 * `npm pack` of the built package (pkg/) into `dest`. Resolves with npm's description of
 * the tarball (`filename`, `files`, ...) plus `tarball`, its path.
 *
 * @param {string} dest
 */
export async function packPackage(dest) {
  const [info] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', dest], { cwd: PKG }));
  return { ...info, tarball: join(dest, info.filename) };
}

/** The page of the fresh apps: a `#root` and `src/main.js`. */
const APP_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">' +
  '<title>fresh app</title></head><body><div id="root"></div>' +
  '<script type="module" src="./src/main.js"></script></body></html>\n';

/**
 * A fresh app in `dir`: writes `files` (relative path -> text) and runs one
 * `npm install --prefer-offline` (versions already in npm's cache are not fetched).
 */
async function makeApp(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  return dir;
}

/**
 * A fresh Vite app in `dir` as a user would make one: `fapi-session` from `tarball`, the
 * given (exact) `dependencies`, vite at the version www/react's lock pins, an `index.html`
 * loading `src/main.js` (relative asset URLs), and `files` (relative path -> text). Runs
 * one `npm install --prefer-offline` (versions already in npm's cache are not fetched).
 * Resolves with `dir`.
 *
 * @param {string} dir
 * @param {{ tarball: string, dependencies: Record<string,string>, files?: Record<string,string> }} options
 */
export async function makeViteApp(dir, { tarball, dependencies, files = {} }) {
  const manifest = {
    name: 'fresh-vite-app',
    private: true,
    type: 'module',
    scripts: { build: 'vite build' },
    dependencies: { 'fapi-session': `file:${tarball}`, ...dependencies },
    devDependencies: { vite: lockedVersion('vite') },
  };
  return makeApp(dir, {
    'package.json': JSON.stringify(manifest, null, 2),
    'vite.config.js': "export default { base: './' };\n",
    'index.html': APP_HTML,
    ...files,
  });
}

/** The webpack and webpack-cli versions of the fresh webpack apps (exact). Not in any lock
 * file of this repository: the first install fetches them, later ones find npm's cache. */
export const WEBPACK_VERSIONS = Object.freeze({ webpack: '5.113.0', 'webpack-cli': '7.3.1' });

/**
 * The whole webpack configuration of the fresh webpack apps: production mode, each of
 * `entry` (name -> module) into `dist/<name>.js`, and webpack 5's defaults for the rest. No
 * loaders, plugins or `experiments`: webpack 5 turns `new URL('x.wasm', import.meta.url)`
 * into an asset module by itself (the file is emitted as `dist/[hash].wasm` and the URL
 * rewritten to it), and `output.publicPath` defaults to `'auto'` (the folder of the running
 * script) for web targets.
 *
 * @param {Record<string,string>} entry
 */
export function webpackConfig(entry) {
  return `import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  entry: ${JSON.stringify(entry)},
  output: { path: fileURLToPath(new URL('dist', import.meta.url)) },
};
`;
}

/**
 * A fresh webpack 5 app in `dir` as a user would make one: `fapi-session` from `tarball`, the
 * given (exact) `dependencies`, webpack and webpack-cli at `WEBPACK_VERSIONS`, the
 * `webpack.config.js` of `webpackConfig(entry)` (default: `main` from `src/index.js`), and
 * `files` (relative path -> text; the entry modules among them). webpack has no HTML step
 * without a plugin, so a page is a `files` entry of its own (`dist/index.html`: builds leave
 * it there). Runs one `npm install --prefer-offline`. Resolves with `dir`.
 *
 * @param {string} dir
 * @param {{ tarball: string, dependencies?: Record<string,string>, files?: Record<string,string>,
 *           entry?: Record<string,string> }} options
 */
export async function makeWebpackApp(dir, { tarball, dependencies = {}, files = {}, entry = { main: './src/index.js' } }) {
  const manifest = {
    name: 'fresh-webpack-app',
    private: true,
    type: 'module',
    scripts: { build: 'webpack' },
    dependencies: { 'fapi-session': `file:${tarball}`, ...dependencies },
    devDependencies: { ...WEBPACK_VERSIONS },
  };
  return makeApp(dir, {
    'package.json': JSON.stringify(manifest, null, 2),
    'webpack.config.js': webpackConfig(entry),
    ...files,
  });
}

/**
 * Builds the webpack app in `dir` with its own webpack-cli (`--fail-on-warnings`: a warning
 * fails the build too) and resolves with webpack's stats as JSON (`assets`, `outputPath`, ...).
 *
 * @param {string} dir
 */
export async function webpackBuild(dir) {
  const stats = join(dir, 'webpack-stats.json');
  await run('npx', ['--no-install', 'webpack', '--fail-on-warnings', '--json', stats], { cwd: dir });
  return JSON.parse(readFileSync(stats, 'utf8'));
}
