import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TESTDATA = path.dirname(fileURLToPath(import.meta.url));

/** Reads every probe of a vector folder (`inclusion`, `consistency`); numbers past 2^53 stay exact as strings. */
export const readProbes = (dir: string): { file: string; probe: Record<string, unknown> }[] => {
  const out: { file: string; probe: Record<string, unknown> }[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) walk(path.join(p, f));
    else if (p.endsWith('.json')) {
      const text = readFileSync(p, 'utf8').replace(/:\s*(\d{16,})/g, ': "$1"');
      out.push({ file: path.relative(TESTDATA, p), probe: JSON.parse(text) as Record<string, unknown> });
    }
  };
  walk(path.join(TESTDATA, dir));
  return out;
};

