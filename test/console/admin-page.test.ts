import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitsWidth, newPage, signInAs } from '../support/browser.js';
import { PASSWORD, useConsoleServer } from './console-server.js';

const rig = useConsoleServer();

const HOSTILE = '<img src=x onerror="document.title=\'pwned\'">Eve';

test('the admin adds a user from the page; a hostile name shows as text; the new user signs in', async () => {
  const { context, page, errors } = await newPage(rig.browser, 'phone');
  await signInAs(page, rig.server.baseUrl, 'admin', PASSWORD);
  await page.fill('input[name=username]', 'eve');
  await page.fill('input[name=displayName]', HOSTILE);
  await page.selectOption('select[name=role]', 'operator');
  await page.fill('input[name=password]', 'short');
  // The browser's own minlength check stops a short password; the server says why when it gets one.
  await page.locator('input[name=password]').evaluate((e) => e.removeAttribute('minlength'));
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/console/admin/users"] button')]);
  assert.match(await page.getByRole('alert').innerText(), /at least 12 characters/);

  await page.fill('input[name=username]', 'eve');
  await page.fill('input[name=displayName]', HOSTILE);
  await page.selectOption('select[name=role]', 'operator');
  await page.fill('input[name=password]', 'a sound password');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/console/admin/users"] button')]);
  assert.match(await page.getByRole('status').innerText(), /Added eve \(operator\)/);
  const row = page.getByTestId('users').locator('tr', { hasText: 'eve' }).first();
  assert.match(await row.innerText(), /<img src=x onerror="document.title='pwned'">Eve/);
  assert.equal(await page.locator('main img').count(), 0);
  assert.notEqual(await page.title(), 'pwned');
  // The whole page fits a phone's width.
  assert.ok(await fitsWidth(page));
  assert.deepEqual(errors, []);
  await context.close();

  const eve = await newPage(rig.browser);
  await signInAs(eve.page, rig.server.baseUrl, 'eve', 'a sound password');
  assert.match(eve.page.url(), /\/console\/operator$/);
  assert.match(await eve.page.getByTestId('who').innerText(), /<img src=x onerror=.*Eve \(operator\)/);
  await eve.context.close();
});

test("a form posted with another session's CSRF token adds nobody", async () => {
  const { context, page } = await newPage(rig.browser);
  await signInAs(page, rig.server.baseUrl, 'admin', PASSWORD);
  await page.locator('form[action="/console/admin/users"] input[name=_csrf]').evaluate((e) => e.setAttribute('value', 'from-another-session'));
  await page.fill('input[name=username]', 'mallory');
  await page.fill('input[name=password]', 'a sound password');
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/console/admin/users')), page.click('form[action="/console/admin/users"] button')]);
  assert.equal(res.status(), 403);
  const { rows } = await rig.server.t.db.query("select 1 from console_users where username = 'mallory'");
  assert.equal(rows.length, 0);
  await context.close();
});
