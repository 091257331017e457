import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every folder under src holding data files the code reads at run time (wording, templates): JSON beside the code, tests' fixtures aside. */
const dataFolders = (): string[] => {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!['fixtures', 'test-support', 'testdata', 'simulator'].includes(e.name)) walk(p);
      } else if (e.name.endsWith('.json')) out.add(path.relative(ROOT, dir));
    }
  };
  walk(path.join(ROOT, 'src'));
  return [...out].sort();
};

test('the image copies every folder of data files the code reads beside itself (a missing one stops the gateway at start)', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const missing = dataFolders().filter((dir) => !new RegExp(`^COPY ${dir.replaceAll('/', '\\/')}[/ ]`, 'm').test(dockerfile));
  assert.deepEqual(missing, [], `Dockerfile does not copy: ${missing.join(', ')}`);
});
