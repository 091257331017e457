import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The pages' browser code and stylesheet: TypeScript under ./browser, bundled by esbuild when first asked for. */
export const BROWSER_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'browser');

/** An asset's name in the URL: `specialist-page.js`, `console.css`. */
export const ASSET_NAME = /^[a-z][a-z0-9-]{0,40}\.(js|css)$/;

export type Asset = { body: string; type: string };

/**
 * Serves `NAME.js` as the bundle of `browser/NAME.ts` (or `.js`, as a compiled copy holds it) and
 * `NAME.css` as the file itself; null for anything else. Bundles are built once per process.
 */
export const createAssetStore = () => {
  const cache = new Map<string, Promise<Asset | null>>();
  const load = async (name: string): Promise<Asset | null> => {
    if (!ASSET_NAME.test(name)) return null;
    const base = name.replace(/\.(js|css)$/, '');
    if (name.endsWith('.css')) {
      const file = path.join(BROWSER_DIR, name);
      return existsSync(file) ? { body: readFileSync(file, 'utf8'), type: 'text/css; charset=utf-8' } : null;
    }
    if (!base.endsWith('-page')) return null; // only pages are entry points; their modules are bundled in
    const entry = ['.ts', '.js'].map((ext) => path.join(BROWSER_DIR, base + ext)).find((f) => existsSync(f));
    if (!entry) return null;
    // why lazy: esbuild's binary is only needed by a process that serves pages (not the worker, not the CLI).
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [entry], bundle: true, write: false, format: 'esm', target: 'es2020', platform: 'browser', logLevel: 'silent',
    });
    return { body: out.outputFiles[0]!.text, type: 'text/javascript; charset=utf-8' };
  };
  return (name: string): Promise<Asset | null> => {
    if (!cache.has(name)) cache.set(name, load(name).catch((err) => { cache.delete(name); throw err; }));
    return cache.get(name)!;
  };
};
