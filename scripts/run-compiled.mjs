// Entry of the one-shot npm scripts (call, text, evidence, verify, import,
// migrate): runs src/main.ts compiled to JavaScript once per change of the
// sources, instead of through tsx, whose module hooks cost about a second of
// CPU on every start on a small machine (bench/cli-start.bench.ts prints both).
//
// The compiled copy lives in .cache/cli/<key>/, a mirror of src/ and demo/
// (TypeScript transpiled by esbuild, the same transform tsx applies; other
// files copied, so paths relative to import.meta.url still resolve). The key
// hashes every source path, size and mtime plus this file's, so an edit,
// a rename or a deletion builds a new copy; concurrent starts build into
// private folders and the first rename wins. Bare imports resolve from the
// repository's node_modules and package.json ("type": "module") applies,
// because the cache sits inside the repository.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..');
const cacheRoot = path.join(root, '.cache', 'cli');
/** Copies older than this are removed after a build (a running command has long loaded its modules). */
const KEEP_OLD_MS = 60 * 60 * 1000;

const sources = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (!e.name.endsWith('.test.ts')) sources.push(p);
  }
};
walk(path.join(root, 'src'));
walk(path.join(root, 'demo'));

const hash = createHash('sha256');
for (const f of [self, path.join(root, 'tsconfig.json'), ...sources]) {
  const st = statSync(f);
  hash.update(`${f}\0${st.size}\0${st.mtimeMs}\n`);
}
const key = hash.digest('hex').slice(0, 16);
const out = path.join(cacheRoot, key);
const entry = path.join(out, 'src', 'main.js');

const exists = (p) => {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
};

if (!exists(entry)) {
  const { build } = await import('esbuild');
  const tmp = `${out}.tmp-${process.pid}`;
  mkdirSync(cacheRoot, { recursive: true });
  try {
    await build({
      entryPoints: sources,
      outdir: tmp,
      outbase: root,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
      loader: Object.fromEntries(['.json', '.sql', '.md', '.mjs', '.mts', '.csv'].map((ext) => [ext, 'copy'])),
    });
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    // Another start renamed its copy first: use it.
    if (!exists(entry)) throw err;
  }
  for (const name of readdirSync(cacheRoot)) {
    const p = path.join(cacheRoot, name);
    if (name !== key && Date.now() - statSync(p).mtimeMs > KEEP_OLD_MS) {
      rmSync(p, { recursive: true, force: true });
    }
  }
}

await import(pathToFileURL(entry).href);
