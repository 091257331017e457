import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOCKOUT } from '../../src/console/console-users.js';
import { SESSION_LIMITS } from '../../src/console/console-sessions.js';
import { newPage, signInAs } from '../support/browser.js';
import { PASSWORD, useConsoleServer } from './console-server.js';

const rig = useConsoleServer();

const evidenceOfType = async (type: string) =>
  (await rig.server.t.db.query<{ payload: { actor: { name: string }; why?: string } }>('select payload from evidence_events where type = $1 order by seq', [type])).rows.map((r) => r.payload);

test('signing in lands on the role\'s own page; the session cookie is HttpOnly and SameSite=Strict; the sign-in is evidence', async () => {
  const { context, page, errors } = await newPage(rig.browser);
  await page.goto(`${rig.server.baseUrl}/console`);
  assert.match(page.url(), /\/console\/sign-in$/);
  await signInAs(page, rig.server.baseUrl, 'compliance', PASSWORD);
  assert.match(page.url(), /\/console\/compliance$/);
  assert.equal(await page.getByTestId('who').innerText(), 'Compliance User (compliance)');
  const cookie = (await context.cookies()).find((c) => c.name === 'gw_session')!;
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  const signIns = await evidenceOfType('console.sign-in');
  assert.equal(signIns.at(-1)!.actor.name, 'compliance');
  // The page's headers: a CSP allowing nothing from elsewhere.
  const res = await page.request.get(`${rig.server.baseUrl}/console/compliance`);
  assert.match(res.headers()['content-security-policy']!, /default-src 'none'; script-src 'self'/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a wrong password is refused with a reason and nothing else; the refusal is evidence', async () => {
  const { context, page } = await newPage(rig.browser);
  await signInAs(page, rig.server.baseUrl, 'operator', 'not the password');
  assert.match(page.url(), /\/console\/sign-in$/);
  assert.equal(await page.getByTestId('problem').innerText(), 'Wrong username or password.');
  assert.equal((await context.cookies()).some((c) => c.name === 'gw_session'), false);
  await signInAs(page, rig.server.baseUrl, 'nobody-here', PASSWORD);
  assert.equal(await page.getByTestId('problem').innerText(), 'Wrong username or password.');
  const refused = await evidenceOfType('console.sign-in-refused');
  assert.deepEqual(refused.slice(-2).map((p) => [p.actor.name, p.why]), [['operator', 'wrong password'], ['nobody-here', 'unknown username']]);
  await context.close();
});

test(`${LOCKOUT.failures} wrong passwords lock the account: even the right one is refused until an admin unlocks it`, async () => {
  const { context, page } = await newPage(rig.browser);
  for (let i = 0; i < LOCKOUT.failures; i++) await signInAs(page, rig.server.baseUrl, 'specialist', `guess ${i}`);
  assert.match(await page.getByTestId('problem').innerText(), /locked until/);
  await signInAs(page, rig.server.baseUrl, 'specialist', PASSWORD);
  assert.match(await page.getByTestId('problem').innerText(), /locked until .*An admin can unlock it sooner/);
  assert.equal((await evidenceOfType('console.account-locked')).length, 1);

  // The admin lifts it from the users page.
  const admin = await newPage(rig.browser);
  await signInAs(admin.page, rig.server.baseUrl, 'admin', PASSWORD);
  assert.match(admin.page.url(), /\/console\/admin$/);
  const row = admin.page.getByTestId('users').locator('tr', { hasText: 'Sam Rivera' });
  assert.match(await row.innerText(), /locked until/);
  await Promise.all([admin.page.waitForLoadState('load'), row.getByRole('button', { name: 'Unlock' }).click()]);
  assert.match(await admin.page.getByRole('status').innerText(), /Unlocked specialist/);
  await admin.context.close();

  await signInAs(page, rig.server.baseUrl, 'specialist', PASSWORD);
  assert.match(page.url(), /\/console\/specialist$/);
  await context.close();
});

test("a role reaching another role's page is refused, and so are its APIs", async () => {
  const { context, page } = await newPage(rig.browser);
  await signInAs(page, rig.server.baseUrl, 'specialist', PASSWORD);
  for (const other of ['compliance', 'operator', 'admin']) {
    const res = await page.goto(`${rig.server.baseUrl}/console/${other}`);
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
  const { context, page } = await newPage(rig.browser);
  await signInAs(page, rig.server.baseUrl, 'specialist', PASSWORD);
  // (one function body per token: page.evaluate runs the code as written, without the test's helpers)
  const put = (token: string | null) => page.evaluate(async ([id, t]) => {
    const r = await fetch(`/api/specialists/${id}/availability`, {
      method: 'PUT', headers: t === null ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', 'x-csrf-token': t },
      body: JSON.stringify({ state: 'available' }),
    });
    return { status: r.status, body: await r.json() as { error: string } };
  }, [rig.server.specialistId, token] as const);
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
  const still = await page.goto(`${rig.server.baseUrl}/console/specialist`);
  assert.equal(still!.status(), 200);
  // The real one does, and the old cookie is dead afterwards.
  const cookie = (await context.cookies()).find((c) => c.name === 'gw_session')!.value;
  await Promise.all([page.waitForURL(/sign-in\?bye=1/), page.click('form.sign-out button')]);
  assert.match(await page.getByRole('status').innerText(), /You are signed out/);
  const replay = await fetch(`${rig.server.baseUrl}/console/specialist`, { headers: { cookie: `gw_session=${cookie}`, accept: 'text/html' }, redirect: 'manual' });
  assert.equal(replay.status, 303);
  await context.close();
});

test(`a session unused for ${SESSION_LIMITS.idleMinutes} minutes has expired: the page and the APIs send the user to sign in`, async () => {
  const { context, page } = await newPage(rig.browser);
  await signInAs(page, rig.server.baseUrl, 'operator', PASSWORD);
  assert.match(page.url(), /\/console\/operator$/);
  rig.server.clock.advance((SESSION_LIMITS.idleMinutes + 1) * 60_000);
  await page.goto(`${rig.server.baseUrl}/console/operator`);
  assert.match(page.url(), /\/console\/sign-in$/);
  const api = await page.request.get(`${rig.server.baseUrl}/api/recovery/report`);
  assert.equal(api.status(), 401);
  await context.close();
});

test("the sign-in form itself refuses a post from another page (no matching CSRF cookie)", async () => {
  const res = await fetch(`${rig.server.baseUrl}/console/sign-in`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'admin', password: PASSWORD, _csrf: 'guessed' }).toString(), redirect: 'manual',
  });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /The form had expired/);
  assert.equal(res.headers.get('set-cookie')?.includes('gw_session='), false);
});
