// Building the Vite demo apps (www/react, www/vue) and other npm projects for the tests.
//
//   import { buildApp, run } from './lib/apps.mjs';
//   const dist = await buildApp('react');                       // npm ci when needed, vite build
//   const dev = await buildApp('react', { development: true, outDir: '/tmp/x' });
//   await run('npm', ['pack'], { cwd });                        // rejects with the output
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WWW } from './paths.mjs';

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
