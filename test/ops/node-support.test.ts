import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import semver from 'semver';

// package.json's `engines` is the promise: every installed package must run
// on the oldest Node it admits (cookie 2, pulled in by fastify's
// light-my-request, once required Node 22 while we promise 20.19; issue 17).

const root = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };

/** name@version and engines.node of every package under node_modules, nested ones included. */
const installedPackages = (dir: string, found: { id: string; node?: string }[] = []) => {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (name.startsWith('@')) {
      installedPackages(p, found);
      continue;
    }
    let pkg: { name?: string; version?: string; engines?: { node?: string } };
    try {
      pkg = JSON.parse(readFileSync(path.join(p, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    found.push({ id: `${pkg.name}@${pkg.version}`, node: pkg.engines?.node });
    try {
      installedPackages(path.join(p, 'node_modules'), found);
    } catch {
      // no nested node_modules
    }
  }
  return found;
};

test('every installed package supports the oldest Node that package.json engines admits', () => {
  const oldest = semver.minVersion(root.engines.node);
  assert.ok(oldest, `engines.node ${root.engines.node} names a version`);
  const refusing = installedPackages('node_modules')
    .filter((p) => p.node && !semver.satisfies(oldest, p.node))
    .map((p) => `${p.id} needs node ${p.node}`);
  assert.deepEqual(refusing, [], `packages refusing Node ${oldest}`);
});

test('every stage of the image uses one even (LTS) Node release that engines admits', () => {
  const majors = new Set([...readFileSync('Dockerfile', 'utf8').matchAll(/\bnode:(\d+)-/g)].map((m) => m[1]!));
  assert.equal(majors.size, 1, `one Node release for every stage, got ${[...majors].join(', ')}`);
  const major = Number([...majors][0]);
  assert.equal(major % 2, 0, 'odd releases never become LTS');
  assert.ok(semver.intersects(`${major}.x`, root.engines.node), `node ${major} within ${root.engines.node}`);
});
