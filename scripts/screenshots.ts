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
/** Pixels of a page kept at most in a screenshot. */
const MAX_HEIGHT = 2_400;

const log = (s: string) => process.stdout.write(`${s}\n`);

/** One page's walk: a step that fails is said and skipped, so the other pages are still photographed. */
const step = async (what: string, f: () => Promise<void>) => {
  try {
    await f();
  } catch (err) {
    log(`  (${what}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
};

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
      // A long transcript is cut at MAX_HEIGHT: the top shows what the page is; the rest would only weigh.
      const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
      await page.screenshot({ path: file, fullPage: true, ...(height > MAX_HEIGHT ? { clip: { x: 0, y: 0, width: size.width, height: MAX_HEIGHT } } : {}) });
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

  // Compliance: the search, a call's transcript with its proofs checked in the browser, the policy's timeline.
  const compliance = await newPage(browser);
  await signInAs(compliance.page, base, 'compliance', passwords.compliance!);
  await step('compliance pages', async () => {
    const page = compliance.page;
    const search = page.getByTestId('search');
    await search.locator('input[name=policy]').fill('HM-A-200874');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('hits').locator('tr', { hasText: 'call' }).first().waitFor();
    await shoot(page, 'compliance-search');
    await page.getByTestId('hits').locator('tr', { hasText: 'call' }).first().getByRole('button', { name: 'Transcript' }).click();
    await page.getByRole('button', { name: 'Verify each event in this browser' }).click();
    await sleep(2_000);
    await shoot(page, 'compliance-transcript');
    await page.getByRole('button', { name: 'Timeline HM-A-200874' }).first().click();
    await sleep(2_000);
    await shoot(page, 'compliance-timeline');
  });

  // The operator's dashboard and the queues behind it; the admin's users page.
  const operator = await newPage(browser);
  await signInAs(operator.page, base, 'operator', passwords.operator!);
  await step('operator pages', async () => {
    await sleep(2_500);
    await shoot(operator.page, 'operator');
    await operator.page.goto(`${base}/console/operator/queues/`);
    await sleep(2_500);
    await shoot(operator.page, 'operator-queues');
  });
  const admin = await newPage(browser);
  await signInAs(admin.page, base, 'admin', passwords.admin!);
  await shoot(admin.page, 'admin');
  for (const [name, p] of Object.entries({ specialist: grace, compliance, operator, admin })) {
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
