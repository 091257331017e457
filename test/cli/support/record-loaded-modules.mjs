// Preload (`node --import ./record-loaded-modules.mjs ...`) that writes, one
// per line, every module URL the process resolves (ESM hooks) and every
// CommonJS file it loaded (require cache) to the file named by
// LOADED_MODULES_FILE, at exit. Plain JS so it runs before tsx's hooks matter.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env.LOADED_MODULES_FILE;
if (!file) throw new Error('record-loaded-modules: set LOADED_MODULES_FILE');
register('./loaded-modules-hooks.mjs', { parentURL: import.meta.url, data: { file } });
const requireCache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const cjs = Object.keys(requireCache).map((f) => pathToFileURL(f).href);
  appendFileSync(file, cjs.map((u) => `${u}\n`).join(''));
});
