import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { LOCKOUT } from '../../src/console/console-users.js';
import { SESSION_LIMITS } from '../../src/console/console-sessions.js';
import { launchBrowser, newPage, signInAs } from '../support/browser.js';
import { PASSWORD, startConsoleServer } from './console-server.js';

let server: Awaited<ReturnType<typeof startConsoleServer>>;
let browser: Browser;
before(async () => {
  [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const evidenceOfType = async (type: string) =>
  (await server.t.db.query<{ payload: { actor: { name: string }; why?: string } }>('select payload from evidence_events where type = $1 order by seq', [type])).rows.map((r) => r.payload);

test('signing in lands on the role\'s own page; the session cookie is HttpOnly and SameSite=Strict; the sign-in is evidence', async () => {
  const { context, page, errors } = await newPage(browser);
  await page.goto(`${server.baseUrl}/console`);
  assert.match(page.url(), /\/console\/sign-in$/);
  await signInAs(page, server.baseUrl, 'compliance', PASSWORD);
  assert.match(page.url(), /\/console\/compliance$/);
  assert.equal(await page.getByTestId('who').innerText(), 'Compliance User (compliance)');
  const cookie = (await context.cookies()).find((c) => c.name === 'gw_session')!;
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  const signIns = await evidenceOfType('console.sign-in');
  assert.equal(signIns.at(-1)!.actor.name, 'compliance');
  // The page's headers: a CSP allowing nothing from elsewhere.
  const res = await page.request.get(`${server.baseUrl}/console/compliance`);
  assert.match(res.headers()['content-security-policy']!, /default-src 'none'; script-src 'self'/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a wrong password is refused with a reason and nothing else; the refusal is evidence', async () => {
  const { context, page } = await newPage(browser);
  await signInAs(page, server.baseUrl, 'operator', 'not the password');
  assert.match(page.url(), /\/console\/sign-in$/);
  assert.equal(await page.getByTestId('problem').innerText(), 'Wrong username or password.');
  assert.equal((await context.cookies()).some((c) => c.name === 'gw_session'), false);
  await signInAs(page, server.baseUrl, 'nobody-here', PASSWORD);
  assert.equal(await page.getByTestId('problem').innerText(), 'Wrong username or password.');
  const refused = await evidenceOfType('console.sign-in-refused');
  assert.deepEqual(refused.slice(-2).map((p) => [p.actor.name, p.why]), [['operator', 'wrong password'], ['nobody-here', 'unknown username']]);
  await context.close();
});

test(`${LOCKOUT.failures} wrong passwords lock the account: even the right one is refused until an admin unlocks it`, async () => {
  const { context, page } = await newPage(browser);
  for (let i = 0; i < LOCKOUT.failures; i++) await signInAs(page, server.baseUrl, 'specialist', `guess ${i}`);
  assert.match(await page.getByTestId('problem').innerText(), /locked until/);
  await signInAs(page, server.baseUrl, 'specialist', PASSWORD);
  assert.match(await page.getByTestId('problem').innerText(), /locked until .*An admin can unlock it sooner/);
  assert.equal((await evidenceOfType('console.account-locked')).length, 1);

  // The admin lifts it from the users page.
  const admin = await newPage(browser);
  await signInAs(admin.page, server.baseUrl, 'admin', PASSWORD);
  assert.match(admin.page.url(), /\/console\/admin$/);
  const row = admin.page.getByTestId('users').locator('tr', { hasText: 'Sam Rivera' });
  assert.match(await row.innerText(), /locked until/);
  await Promise.all([admin.page.waitForLoadState('load'), row.getByRole('button', { name: 'Unlock' }).click()]);
  assert.match(await admin.page.getByRole('status').innerText(), /Unlocked specialist/);
  await admin.context.close();

  await signInAs(page, server.baseUrl, 'specialist', PASSWORD);
  assert.match(page.url(), /\/console\/specialist$/);
  await context.close();
});

test("a role reaching another role's page is refused, and so are its APIs", async () => {
  const { context, page } = await newPage(browser);
  await signInAs(page, server.baseUrl, 'specialist', PASSWORD);
  for (const other of ['compliance', 'operator', 'admin']) {
    const res = await page.goto(`${server.baseUrl}/console/${other}`);
    assert.equal(res!.status(), 403, other);
    assert.match(await page.getByTestId('refused').innerText(), new RegExp(`This page is for the ${other} role`));
  }
  const api = await page.evaluate(async () => {
    const r = await fetch('/api/recovery/report');
    return { status: r.status, body: await r.json() as { message: string } };
  });
  assert.equal(api.status, 403);
  assert.match(api.body.message, /role specialist may not read the recovery report/);
  await context.close();
});

test('a forged or missing CSRF token is refused; nothing changes', async () => {
  const { context, page } = await newPage(browser);
  await signInAs(page, server.baseUrl, 'specialist', PASSWORD);
  // (one function body per token: page.evaluate runs the code as written, without the test's helpers)
  const put = (token: string | null) => page.evaluate(async ([id, t]) => {
    const r = await fetch(`/api/specialists/${id}/availability`, {
      method: 'PUT', headers: t === null ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', 'x-csrf-token': t },
      body: JSON.stringify({ state: 'available' }),
    });
    return { status: r.status, body: await r.json() as { error: string } };
  }, [server.specialistId, token] as const);
  const real = await page.locator('meta[name="csrf-token"]').getAttribute('content');
  const tried = { none: await put(null), forged: await put('forged-token'), real: await put(real) };
  assert.equal(tried.none.status, 403);
  assert.equal(tried.none.body.error, 'CSRF_REFUSED');
  assert.equal(tried.forged.status, 403);
  assert.equal(tried.real.status, 200, JSON.stringify(tried.real.body));
  // The sign-out form with a forged token does not sign out.
  await page.locator('form.sign-out input[name=_csrf]').evaluate((e) => e.setAttribute('value', 'forged'));
  const refused = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/console/sign-out')), page.click('form.sign-out button')]);
  assert.equal(refused[0].status(), 403);
  const still = await page.goto(`${server.baseUrl}/console/specialist`);
  assert.equal(still!.status(), 200);
  // The real one does, and the old cookie is dead afterwards.
  const cookie = (await context.cookies()).find((c) => c.name === 'gw_session')!.value;
  await Promise.all([page.waitForURL(/sign-in\?bye=1/), page.click('form.sign-out button')]);
  assert.match(await page.getByRole('status').innerText(), /You are signed out/);
  const replay = await fetch(`${server.baseUrl}/console/specialist`, { headers: { cookie: `gw_session=${cookie}`, accept: 'text/html' }, redirect: 'manual' });
  assert.equal(replay.status, 303);
  await context.close();
});

test(`a session unused for ${SESSION_LIMITS.idleMinutes} minutes has expired: the page and the APIs send the user to sign in`, async () => {
  const { context, page } = await newPage(browser);
  await signInAs(page, server.baseUrl, 'operator', PASSWORD);
  assert.match(page.url(), /\/console\/operator$/);
  server.clock.advance((SESSION_LIMITS.idleMinutes + 1) * 60_000);
  await page.goto(`${server.baseUrl}/console/operator`);
  assert.match(page.url(), /\/console\/sign-in$/);
  const api = await page.request.get(`${server.baseUrl}/api/recovery/report`);
  assert.equal(api.status(), 401);
  await context.close();
});

test("the sign-in form itself refuses a post from another page (no matching CSRF cookie)", async () => {
  const res = await fetch(`${server.baseUrl}/console/sign-in`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'admin', password: PASSWORD, _csrf: 'guessed' }).toString(), redirect: 'manual',
  });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /The form had expired/);
  assert.equal(res.headers.get('set-cookie')?.includes('gw_session='), false);
});
