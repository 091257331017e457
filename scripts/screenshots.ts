/**
 * `npm run screenshots`: every console page at desktop and phone width, as PNG files a reviewer can
 * look at without running the stack (docs/screenshots/ by default; `--out DIR` elsewhere).
 *
 * It runs the gateway as `npm start` does, on a fresh DATA_DIR (embedded Postgres, private Redis,
 * demo data, simulated carrier), makes a little history through the same commands a person would
 * (a call that asks for a specialist while Grace's softphone accepts, a text, a failed-debit
 * import), signs in with the demo console users and photographs each page in Debian's chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { findFreePort } from '../src/infra/free-port.js';
import { launchBrowser, newPage, signInAs, VIEWPORTS } from '../test/support/browser.js';

const outArg = process.argv.indexOf('--out');
const OUT = path.resolve(outArg > 0 ? process.argv[outArg + 1]! : 'docs/screenshots');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'gw-screenshots-'));
const children: ChildProcess[] = [];

const log = (s: string) => process.stdout.write(`${s}\n`);

const run = (args: string[], env: NodeJS.ProcessEnv) => {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  children.push(child);
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => resolve({ code, output })));
  return { child, done };
};

const waitUntil = async (what: string, ok: () => Promise<boolean> | boolean, ms = 120_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
};

const main = async () => {
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { DATA_DIR: dataDir, PORT: String(port), DEMO_DATA: 'on', LOG_LEVEL: 'warn', METRICS_PORT: String(await findFreePort()) };
  log(`starting the gateway on ${base} (DATA_DIR ${dataDir})`);
  const gateway = run([path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/main.ts', 'start'], env);
  const usersFile = path.join(dataDir, 'secrets', 'console-users.txt');
  await waitUntil('the gateway', async () => existsSync(usersFile) && (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)));
  await waitUntil('the simulated carrier', () => existsSync(path.join(dataDir, 'simulated-carrier.json')));
  const passwords = Object.fromEntries(readFileSync(usersFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const [user, , password] = l.split('\t');
    return [user!, password!];
  }));
  const cli = (...args: string[]) => run([path.join(root, 'scripts/run-compiled.mjs'), ...args], env);

  const browser = await launchBrowser();
  const shoot = async (page: Page, name: string) => {
    for (const [label, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await sleep(300);
      const file = path.join(OUT, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      log(`  ${path.relative(root, file)}`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  };
  mkdirSync(OUT, { recursive: true });

  // The sign-in page, and the specialist's console live while a transfer comes in.
  const anon = await newPage(browser);
  await anon.page.goto(`${base}/console/sign-in`);
  await shoot(anon.page, 'sign-in');

  const grace = await newPage(browser);
  await signInAs(grace.page, base, 'grace', passwords.grace!);
  log('a call from James asks for a specialist; Grace accepts on her softphone');
  const phone = cli('call', '--as-specialist', '--number', '+15550100001', '--script', '1');
  await sleep(1_000);
  const caller = cli('call', '--from', '+12025550143', '--script', '1,3,1,0');
  // Both phones stay on the line (the conference) until hung up, as a person's would.
  await waitUntil('Grace connected to James', async () => (await grace.page.locator('[data-testid=pop]').count()) > 0 || phone.child.exitCode !== null, 60_000).catch(() => log('  (no pop seen)'));
  await sleep(3_000);
  await shoot(grace.page, 'specialist');
  for (const c of [caller, phone]) c.child.kill('SIGINT');
  await Promise.all([caller.done, phone.done]);

  log('a text, and a failed debit for recovery');
  await cli('text', '--from', '+12025550143', 'BAL').done;
  const csv = path.join(dataDir, 'failed-debits.csv');
  writeFileSync(csv, 'debit_ref,policy_number,due_date,amount,currency,failed_at,method,decline_code,return_code,reason\n'
    + `FD-SHOT-1,HM-L-100231,2026-12-01,42.50,,${new Date(Date.now() - 3_600_000).toISOString()},card,insufficient_funds,,\n`);
  await cli('import', 'failed-debits', csv).done;
  await sleep(3_000);

  for (const [user, name] of [['compliance', 'compliance'], ['operator', 'operator'], ['admin', 'admin']] as const) {
    const p = await newPage(browser);
    await signInAs(p.page, base, user, passwords[user]!);
    if (name === 'compliance') {
      const policy = p.page.locator('input[name=policy]');
      if (await policy.count()) {
        await policy.first().fill('HM-A-200874');
        await p.page.keyboard.press('Enter');
        await sleep(2_000);
      }
    }
    await sleep(1_500);
    await shoot(p.page, name);
    if (p.errors.length) log(`  (page errors on ${name}: ${p.errors.join('; ')})`);
  }
  await browser.close();
  gateway.child.kill('SIGINT');
  await Promise.race([gateway.done, sleep(20_000)]);
};

main().then(
  () => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  },
  async (err) => {
    process.stderr.write(`screenshots: ${err instanceof Error ? err.message : String(err)}\n`);
    // The gateway stops its embedded Postgres and Redis on SIGINT: wait for it before leaving.
    const alive = children.filter((c) => c.exitCode === null);
    for (const c of alive) c.kill('SIGINT');
    await Promise.race([Promise.all(alive.map((c) => new Promise((r) => c.once('exit', r)))), sleep(20_000)]);
    process.exit(1);
  },
);
