// Temporary folders for `fapi-mock --static DIR`: the built pkg/ plus test pages.
//
//   import { makeSite } from './lib/site.mjs';
//   const site = makeSite({ 'index.html': '<!doctype html>...' });   // copies pkg/ too
//   const web = await startMock(['--static', site.dir]);
//   ... site.remove();
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PKG } from './paths.mjs';

const HELPERS = join(dirname(fileURLToPath(import.meta.url)), 'page-helpers.js');

/** A blank page that loads nothing itself (tests import modules with page.evaluate). */
export const BLANK_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">' +
  '<title>e2e</title></head><body></body></html>\n';

/**
 * Makes a temporary folder holding `files` (relative path -> text), a copy of the built
 * package at `pkg/` (unless `pkg: false`) and the browser-side helpers of
 * lib/page-helpers.js at `helpers.js` (`signIn`, `failure`, `describeError`, `plain`).
 * Returns `{dir, remove()}`.
 *
 * @param {Record<string, string>} [files]
 * @param {{ pkg?: boolean, copy?: Record<string, string> }} [options] `copy`: relative
 *   path -> a file or folder to copy there (e.g. a Vite `dist/`)
 */
export function makeSite(files = { 'index.html': BLANK_PAGE }, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'fapi-e2e-'));
  if (options.pkg !== false) {
    if (!existsSync(join(PKG, 'index.js'))) {
      throw new Error(`${PKG}/index.js is missing: run make build (scripts/e2e-tests.sh does)`);
    }
    cpSync(PKG, join(dir, 'pkg'), { recursive: true });
  }
  cpSync(HELPERS, join(dir, 'helpers.js'));
  for (const [to, from] of Object.entries(options.copy || {})) {
    cpSync(from, join(dir, to), { recursive: true });
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
