// Measurement 7: the package's size (the files `make size` counts, raw and gzip -9, taken
// from scripts/size.sh's own output) and, minified the same way as the peers, beside the
// peers' browser bundles from their npm tarballs (bench/peers.json).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** gzip -9 of a buffer, by the gzip binary (exactly what scripts/size.sh counts). */
function gzip9(buffer) {
  return execFileSync('gzip', ['-9', '-c'], { input: buffer, maxBuffer: 64 << 20 }).length;
}

/** One esbuild run to a buffer: minified, one ESM file (bundled when asked). */
async function minify(entry, { bundle = false, external = [] } = {}) {
  const result = await build({
    entryPoints: [entry],
    bundle,
    external,
    minify: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
    // The entry points use import.meta.url for the wasm; a browser target keeps it.
    target: 'es2022',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

/** The rows of scripts/size.sh: [{file, raw, gzip}], plus its total. */
function sizeScript(root) {
  const out = execFileSync(join(root, 'scripts', 'size.sh'), { cwd: root, encoding: 'utf8' });
  const rows = [];
  let total = null;
  for (const line of out.split('\n')) {
    const m = /^(.+?)\s+(\d+)\s+(\d+)$/.exec(line);
    if (!m) continue;
    const row = { file: m[1].trim(), raw: Number(m[2]), gzip: Number(m[3]) };
    if (row.file.startsWith('total')) total = row;
    else if (!row.file.startsWith('+')) rows.push(row);
  }
  if (!total || !rows.length) throw new Error(`size: could not read scripts/size.sh's output:\n${out}`);
  return { rows, total };
}

/** The JS a bundle ships from a built package folder: esbuild --bundle --minify of its
 * index.js, raw and gzip -9 (scripts/size-report.mjs counts it against size-budget.json). */
export async function bundleSize(pkg) {
  const js = await minify(join(pkg, 'index.js'), { bundle: true });
  return { raw: js.length, gzip: gzip9(js) };
}

/** Our package: as shipped (scripts/size.sh) and with its JS bundled and minified by esbuild. */
export async function ownSize(root) {
  const pkg = join(root, 'pkg');
  const shipped = sizeScript(root);
  const wasm = shipped.rows.find((r) => r.file.endsWith('.wasm'));
  const minJs = await bundleSize(pkg);
  return {
    shipped: { files: shipped.rows, raw: shipped.total.raw, gzip: shipped.total.gzip },
    wasm: { raw: wasm.raw, gzip: wasm.gzip },
    jsShipped: { raw: shipped.total.raw - wasm.raw, gzip: shipped.total.gzip - wasm.gzip },
    jsMinified: minJs,
    minified: { raw: wasm.raw + minJs.raw, gzip: wasm.gzip + minJs.gzip },
    shippedHow:
      'scripts/size.sh: the wasm, fapi_session.js, index.js, fapi_error.js and the snippets as shipped (JS unminified), gzip -9 per file, summed',
    minifiedHow:
      'esbuild --bundle --minify --format=esm pkg/index.js (the JS a bundle ships, as one file) + the wasm as is, gzip -9 each',
  };
}

/** Fetches (npm pack, once) and measures every peer of bench/peers.json. */
export async function peerSizes(root, dir) {
  const list = JSON.parse(readFileSync(join(root, 'bench', 'peers.json'), 'utf8')).peers;
  mkdirSync(dir, { recursive: true });
  const out = [];
  for (const peer of list) {
    const base = `${peer.name.replace(/^@/, '').replace('/', '-')}-${peer.version}`;
    const tarball = join(dir, `${base}.tgz`);
    if (!existsSync(tarball)) {
      execFileSync('npm', ['pack', '--silent', `${peer.name}@${peer.version}`, '--pack-destination', dir], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'inherit'],
        timeout: 300_000,
      });
    }
    const unpacked = join(dir, base);
    if (!existsSync(join(unpacked, 'package', 'package.json'))) {
      mkdirSync(unpacked, { recursive: true });
      execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
    }
    const entry = join(unpacked, 'package', peer.file);
    if (!existsSync(entry)) {
      const near = readdirSync(join(unpacked, 'package')).join(', ');
      throw new Error(`size: ${peer.name}@${peer.version} has no ${peer.file} (package/: ${near})`);
    }
    const bytes = peer.minify ? await minify(entry, peer.minify) : readFileSync(entry);
    const how = peer.minify
      ? `esbuild ${peer.minify.bundle ? '--bundle ' : ''}--minify --format=esm${(peer.minify.external || [])
          .map((e) => ` --external:${e}`)
          .join('')} ${peer.file}, gzip -9`
      : `${peer.file} as shipped (minified), gzip -9`;
    out.push({
      name: peer.name,
      version: peer.version,
      file: peer.file,
      what: peer.what,
      how,
      raw: bytes.length,
      gzip: gzip9(bytes),
    });
  }
  return out;
}
