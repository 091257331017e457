// npm run fuzz -- --runs N [--seed S] [--only TEXT]: the route fuzz suite with N cases per route (CI runs 300).
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = opt('runs') ?? '1000';
const seed = opt('seed');
const only = opt('only');
if (!/^\d+$/.test(runs) || (seed !== undefined && !/^\d+$/.test(seed))) {
  process.stderr.write('usage: npm run fuzz -- [--runs N] [--seed S] [--only TEXT]   (N and S whole numbers; TEXT picks routes)\n');
  process.exit(2);
}
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', 'test/fuzz/routes.fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, ...(seed ? { FUZZ_SEED: seed } : {}), ...(only ? { FUZZ_ONLY: only } : {}) },
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
