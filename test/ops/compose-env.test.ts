import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { configVariables, readmeConfigVariables } from './config-variables.js';

// docker-compose.yml once passed 9 of the gateway's variables, so BUSINESS_HOURS,
// INSURER_NAME, EVIDENCE_SIGNING_KEY... set in .env never reached the
// containers (issue 16). These checks keep compose, README and config.ts in step.

type Service = {
  environment?: Record<string, string | null>;
  env_file?: (string | { path: string; required?: boolean })[];
  volumes?: string[];
};
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
const GATEWAY_SERVICES = ['migrate', 'web', 'worker'];
const variables = configVariables();

describe('docker-compose.yml passes the whole configuration', () => {
  for (const name of GATEWAY_SERVICES) {
    test(`${name} receives every variable config.ts reads`, () => {
      const service = compose.services[name];
      assert.ok(service, `no service ${name}`);
      const env = service.environment ?? {};
      assert.deepEqual(variables.filter((v) => !(v in env)), [], `variables ${name} does not pass`);
      assert.ok(
        (service.env_file ?? []).some((f) => typeof f === 'object' && f.path === '.env' && f.required === false),
        `${name} reads .env (optional)`,
      );
      // `${X:-}` would hand the gateway an empty string, which is not "unset" (PORT='' parses as 0).
      const empty = Object.entries(env).filter(([, v]) => typeof v === 'string' && /:-\}/.test(v));
      assert.deepEqual(empty, [], 'no empty defaults');
    });
  }

  test('web and worker share DATA_DIR (generated secrets) on one volume, at the path DATA_DIR names', () => {
    const dockerfileDataDir = /DATA_DIR=(\S+)/.exec(readFileSync('Dockerfile', 'utf8'))?.[1];
    const mounts = ['web', 'worker'].map((name) => {
      const s = compose.services[name]!;
      const dataDir = s.environment?.DATA_DIR;
      const mount = (s.volumes ?? []).find((v) => v.split(':')[1] === dataDir);
      assert.ok(mount, `${name} mounts a volume at DATA_DIR ${dataDir}`);
      assert.equal(dataDir, dockerfileDataDir, 'the image creates and owns that folder');
      return mount;
    });
    assert.equal(mounts[0], mounts[1]);
  });
});

test('README configuration table documents every variable config.ts reads, and only those', () => {
  assert.deepEqual(readmeConfigVariables(), variables);
});
