import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

// The layout's rules (DESIGN.md, issue 17), checked on the source itself so they cannot drift.

const SRC = 'src';
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const f = path.join(dir, n);
    if (statSync(f).isDirectory()) return n === 'testdata' || n === 'test-support' ? [] : sources(f);
    return /\.(ts|mts|mjs)$/.test(n) && !n.endsWith('.test.ts') && !n.endsWith('.d.mts') ? [f] : [];
  });
const files = sources(SRC);
/** The domain folders whose imports must not form a cycle; app wiring (runtime, app.ts, main.ts) may import anything. */
const DOMAINS = new Set(['ivr', 'sms', 'payments', 'evidence', 'jobs', 'flows', 'turns', 'telephony', 'retention', 'recovery', 'shared', 'db', 'config', 'infra', 'import']);
const domainOf = (f: string) => f.split(path.sep)[1]!;

const importGraph = () => {
  const edges = new Map<string, Map<string, string>>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    // why: `import type` is erased from the running code; cycles are about what loads what.
    for (const m of text.replace(/^import type [^;]+;$/gms, '').matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm)) {
      const target = path.normalize(path.join(path.dirname(f), (m[1] ?? m[2] ?? m[3])!));
      const [a, b] = [domainOf(f), domainOf(target)];
      if (a === b || !DOMAINS.has(a) || !DOMAINS.has(b)) continue;
      if (!edges.has(a)) edges.set(a, new Map());
      if (!edges.get(a)!.has(b)) edges.get(a)!.set(b, `${f} -> ${target}`);
    }
  }
  return edges;
};

/** Every elementary cycle through the smallest domain name in it, once, with the import that makes each step. */
const cycles = (edges: Map<string, Map<string, string>>): string[] => {
  const out = new Set<string>();
  const walk = (start: string, at: string, trail: string[]) => {
    for (const next of edges.get(at)?.keys() ?? []) {
      if (next === start) out.add([...trail, start].join(' > '));
      else if (next > start && !trail.includes(next)) walk(start, next, [...trail, next]);
    }
  };
  for (const d of edges.keys()) walk(d, d, [d]);
  return [...out].sort();
};

test('no import cycles between domain folders', () => {
  const edges = importGraph();
  const found = cycles(edges);
  const explain = (c: string) => {
    const steps = c.split(' > ');
    return `${c}\n${steps.slice(1).map((b, i) => `    ${edges.get(steps[i]!)!.get(b)}`).join('\n')}`;
  };
  assert.deepEqual(found, [], `import cycles:\n${found.map(explain).join('\n')}`);
});

test('nothing outside the turn engine writes flow_sessions', () => {
  const writers = files.filter((f) => !f.startsWith(path.join(SRC, 'turns')) && !f.startsWith(path.join(SRC, 'db')))
    .filter((f) => /(insert\s+into|update|delete\s+from)\s+flow_sessions/i.test(readFileSync(f, 'utf8')));
  assert.deepEqual(writers, []);
});
