import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { messageSid, signedForm, TEST_ACCOUNT_SID } from '../support/build-test-app.js';
import { launchBrowser, newPage, signInAs } from '../support/browser.js';
import { seedDue, seedPolicyholder, seedSmsConsent } from '../support/seed.js';
import { voiceCall } from '../support/voice-driver.js';
import { sequenceAll, tamper } from '../evidence/support.js';
import { newId } from '../../src/shared/ids.js';
import { PASSWORD, startConsoleServer } from './console-server.js';

const run = promisify(execFile);
const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">';
const HOSTILE_SMS = '<script>window.__xss=2</script><b onmouseover=alert(1)>hi</b> BALANCE';
const POLICY = 'HM-100234';

let server: Awaited<ReturnType<typeof startConsoleServer>>;
let browser: Browser;
let downloads = '';

/**
 * A policy whose holder (with a script for a name) calls in, hears the menu, presses 9 (repeat) and 2
 * (amount due) and hangs up (the carrier's status callback carries its own clock), then texts a
 * hostile body and STOP: all through the gateway's signed webhooks, then sequenced and checkpointed.
 */
before(async () => {
  [server, browser] = await Promise.all([startConsoleServer(), launchBrowser()]);
  downloads = mkdtempSync(path.join(tmpdir(), 'compliance-console-'));
  const { t, app, clock } = server;
  const holder = await seedPolicyholder(t.db, { firstName: HOSTILE_NAME, phone: '+12025550143', policyNumber: POLICY });
  const dueId = await seedDue(t.db, holder.policyId, 12_450);
  // A declined retry of the premium, as payments records one (its table, seeded directly).
  await t.db.query(
    `insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, provider_payment_id, status, amount_cents, decline_code, decline_class, created_at)
     values ($1, $2, 1, 'retry', 'idem-compliance-1', 'pi_compliance_1', 'failed', 12450, 'insufficient_funds', 'try-later', $3)`,
    [newId(), dueId, clock.now()],
  );
  await seedSmsConsent(t.db, holder.phone);
  const call = voiceCall(app, holder.phone);
  await call.start();
  clock.advance(6_000);
  await call.press('9');
  clock.advance(7_000);
  await call.press('2');
  clock.advance(9_000);
  const status = await app.inject(signedForm('/twilio/voice/status', {
    ...call.params, CallStatus: 'completed', SequenceNumber: '3', CallDuration: '22', Timestamp: 'Thu, 03 Dec 2026 15:00:21 +0000',
  }));
  assert.equal(status.statusCode, 200, status.body);
  const text = async (n: number, body: string) => {
    clock.advance(60_000);
    const res = await app.inject(signedForm('/twilio/sms', { MessageSid: messageSid(n), AccountSid: TEST_ACCOUNT_SID, From: holder.phone, To: '+18005550100', Body: body }));
    assert.equal(res.statusCode, 200, res.body);
  };
  await text(1, HOSTILE_SMS);
  await text(2, 'STOP');
  await sequenceAll(t.db, clock);
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

/** The rows of a table once one holds `text` (the page fills it after its API call answers). */
const rowsOf = async (page: Page, testId: string, text: string | RegExp) => {
  await page.getByTestId(testId).locator('tbody tr', { hasText: text }).first().waitFor();
  return page.getByTestId(testId).locator('tbody tr').allInnerTexts();
};
/** Nothing a policyholder wrote became markup: no image, no injected script, no handler ran. */
const assertNothingInjected = async (page: Page) => {
  assert.equal(await page.locator('main img, main b, main script').count(), 0);
  // (string expressions: the test's TypeScript has no DOM types; the code runs in the page)
  assert.equal(await page.evaluate('window.__xss'), undefined);
};
const accessRecords = async (action: string) =>
  (await server.t.db.query<{ actor: string }>(
    `select payload #>> '{actor,name}' as actor from evidence_events where type in ('evidence.accessed', 'evidence.exported') and payload->>'action' = $1`,
    [action],
  )).rows.map((r) => r.actor);

test('a compliance search, a call\'s transcript with its proofs checked in the browser, and the messages, hostile text as text', async () => {
  const { context, page, errors } = await newPage(browser, 'phone');
  await signInAs(page, server.baseUrl, 'compliance', PASSWORD);
  const treeSize = Number(await page.getByTestId('tree-size').innerText());
  assert.ok(treeSize > 0, 'a checkpoint');
  assert.match(await page.getByTestId('checkpoint').innerText(), /signature verified in this browser/);

  await page.getByTestId('search').locator('input[name=policy]').fill(POLICY);
  await page.getByTestId('search').getByRole('button', { name: 'Search' }).click();
  const hits = await rowsOf(page, 'hits', 'sms-thread');
  assert.equal(hits.length, 2, hits.join('\n'));
  assert.match(hits.join('\n'), /call \(inbound\)[\s\S]*\+12025550143/);
  assert.match(hits.join('\n'), /sms-thread/);

  // The call: what the caller heard and pressed, re-rendered from its evidence, each event under the checkpoint.
  await page.getByTestId('hits').locator('tr', { hasText: 'call' }).getByRole('button', { name: 'Transcript' }).click();
  const transcript = (await rowsOf(page, 'transcript', 'Caller heard')).join('\n');
  assert.match(transcript, /Caller heard\s+Hello <img src=x onerror="window.__xss=1">, thank you for calling Harbor Mutual\./);
  assert.match(transcript, /Caller\s+pressed 9 \(asked for: menu\)/);
  assert.match(transcript, /Caller\s+pressed 2 \(asked for: menu\)/);
  assert.match(transcript, /Your premium of \$124\.50 was due on December 1/);
  // Both clocks: ours on every row, the carrier's on its status callback.
  assert.match(transcript, /2026-12-03 15:00:22 UTC\s+2026-12-03 15:00:21 UTC\s+#\d+(\.\d+)?\s+Status\s+call completed/);
  assert.match(transcript, new RegExp(`included under checkpoint of tree size ${treeSize}`));
  await page.getByRole('button', { name: 'Verify each event in this browser' }).click();
  await page.getByTestId('verify-summary').getByText(/verified in this browser|failed/).waitFor();
  assert.match(await page.getByTestId('verify-summary').innerText(), /^\d+ event\(s\) verified in this browser$/);
  const proofs = await page.getByTestId('transcript').getByTestId('proof').allInnerTexts();
  assert.ok(proofs.length >= 4, proofs.join('\n'));
  for (const p of proofs) assert.match(p, new RegExp(`verified here: in the signed log of tree size \\d+`));
  await assertNothingInjected(page);

  // The messages: what the customer texted, as text, and what we answered.
  await page.getByTestId('hits').locator('tr', { hasText: 'sms-thread' }).getByRole('button', { name: 'Messages' }).click();
  const messages = (await rowsOf(page, 'transcript', 'Customer texted')).join('\n');
  const hostileRow = await page.getByTestId('transcript').locator('tr', { hasText: HOSTILE_SMS }).innerText();
  assert.match(hostileRow, /Customer texted\s/);
  assert.ok(hostileRow.includes(HOSTILE_SMS), hostileRow);
  assert.match(messages, /Customer texted\s+STOP/);
  assert.match(messages, /We texted\s+Harbor Mutual:/);
  assert.match(messages, /sms consent revoked \(sms-keyword:STOP\)/);
  await assertNothingInjected(page);
  assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1'), true, 'no sideways scroll at a phone\'s width');
  assert.deepEqual(errors, []);
  await context.close();

  assert.ok((await accessRecords('search')).includes('compliance'), 'search recorded');
  assert.ok((await accessRecords('read-interaction')).includes('compliance'), 'read-interaction recorded');
  assert.ok((await accessRecords('proof')).includes('compliance'), 'proof recorded');
});

test('a policy\'s timeline across channels, and its bundle downloaded and verified by the bundle\'s own verifier', async () => {
  const { context, page, errors } = await newPage(browser);
  await signInAs(page, server.baseUrl, 'compliance', PASSWORD);
  await page.getByTestId('search').locator('input[name=phone]').fill('+12025550143');
  await page.getByTestId('search').getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('hits').locator('tr', { hasText: 'call' }).getByRole('button', { name: `Timeline ${POLICY}` }).click();
  assert.equal(await page.getByTestId('timeline-policy').innerText(), POLICY);
  await page.getByTestId('window').locator('input[name=from]').fill('2026-12-01');
  await page.getByTestId('window').locator('input[name=to]').fill('2026-12-31');
  await page.getByTestId('window').getByRole('button', { name: 'Show' }).click();
  const timeline = (await rowsOf(page, 'timeline', 'Consent')).join('\n');
  assert.match(timeline, /Call\s+Hello <img src=x onerror="window.__xss=1">/);
  assert.match(timeline, /Call\s+pressed 2/);
  assert.match(timeline, /2026-12-03 15:00:21 UTC\s+Call\s+call completed/);
  assert.ok(timeline.includes(HOSTILE_SMS), timeline);
  assert.match(timeline, /Consent\s+sms consent revoked/);
  assert.match(timeline, /included under checkpoint of tree size \d+/);
  const attempts = (await rowsOf(page, 'payment-attempts', 'pi_compliance_1')).join('\n');
  assert.match(attempts, /2026-12-03 15:00:00 UTC\s+2026-12-01\s+1\s+retry\s+\$124\.50\s+failed\s+insufficient_funds \/ try-later\s+pi_compliance_1/);
  await assertNothingInjected(page);

  // One click: the bundle downloads as one file; the page says how its recipient verifies it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export bundle' }).click()]);
  const file = path.join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  assert.match(download.suggestedFilename(), /^evidence-HM-100234-2026-12-01-2026-12-31\.tar$/);
  const command = await page.getByTestId('verify-command').innerText();
  const key = await page.getByTestId('verifier-key').innerText();
  assert.equal(command, `tar -xf evidence-HM-100234-2026-12-01-2026-12-31.tar && node evidence-HM-100234-2026-12-01-2026-12-31/verify.mjs --key "${key}"`);
  // The recipient runs exactly that, beside the file.
  const verdict = await run('sh', ['-c', command], { cwd: downloads });
  assert.match(verdict.stdout, /VERDICT: VERIFIED\. Policy HM-100234, /, verdict.stdout + verdict.stderr);
  assert.ok(readdirSync(path.join(downloads, 'evidence-HM-100234-2026-12-01-2026-12-31', 'transcripts')).length >= 1, 'transcripts');
  assert.deepEqual(errors, []);
  await context.close();
  assert.ok((await accessRecords('timeline')).includes('compliance'), 'timeline recorded');
  assert.ok((await accessRecords('export')).includes('compliance'), 'export recorded');
});

test('the evidence access log shows who read and exported what, and who signed in', async () => {
  const { context, page, errors } = await newPage(browser, 'phone');
  await signInAs(page, server.baseUrl, 'compliance', PASSWORD);
  await page.getByTestId('access-filter').locator('input[name=actor]').fill('compliance');
  await page.getByRole('button', { name: 'Show the access log' }).click();
  const log = (await rowsOf(page, 'access-log', 'exported')).join('\n');
  assert.match(log, /compliance compliance \(console-user\)\s+exported\s+HM-100234\s+window 2026-12-01T05:00:00\.000Z to/);
  assert.match(log, /read: timeline\s+HM-100234/);
  assert.match(log, /read: read-interaction\s+HM-100234\s+interaction /);
  assert.match(log, /read: proof/);
  assert.match(log, /read: search\s+HM-100234\s+query policy=HM-100234/);
  assert.match(log, /signed in\s+—\s+from 127\.0\.0\.1/);
  assert.equal((await accessRecords('access-log')).at(-1), 'compliance', 'reading the access log is itself recorded');
  assert.deepEqual(errors, []);
  await context.close();
});

test('search by an interaction id, and by a time window alone', async () => {
  const { context, page, errors } = await newPage(browser);
  await signInAs(page, server.baseUrl, 'compliance', PASSWORD);
  const { rows } = await server.t.db.query<{ id: string }>(`select id from interactions where kind = 'sms-thread'`);
  const search = page.getByTestId('search');
  await search.locator('input[name=interaction]').fill(rows[0]!.id);
  await search.getByRole('button', { name: 'Search' }).click();
  const one = await rowsOf(page, 'hits', 'sms-thread');
  assert.equal(one.length, 1, one.join('\n'));
  await search.locator('input[name=interaction]').fill('');
  await search.locator('input[name=from]').fill('2026-12-03');
  await search.locator('input[name=to]').fill('2026-12-03');
  await search.getByRole('button', { name: 'Search' }).click();
  const day = (await rowsOf(page, 'hits', 'call')).join('\n');
  assert.match(day, /call \(inbound\)/);
  assert.match(day, /sms-thread/);
  await search.locator('input[name=from]').fill('2026-11-01');
  await search.locator('input[name=to]').fill('2026-11-30');
  await search.getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('hits').getByText('No interaction matches.').waitFor();
  // A malformed phone number: the API's reason, in its words.
  await search.locator('input[name=phone]').fill('555-0143');
  await search.getByRole('button', { name: 'Search' }).click();
  assert.match(await page.getByTestId('results').getByRole('alert').innerText(), /phone must be E\.164/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an event altered in the database after signing fails the browser\'s check, named on its row', async () => {
  // As a superuser could: the caller's "pressed 2" rewritten to "pressed 3", everything else left alone.
  await tamper(server.t.db, `update evidence_events e set payload = replace(e.payload::text, '"digits": "2"', '"digits": "3"')::jsonb
     from interactions i where i.id = e.interaction_id and i.kind = 'call' and e.payload::text like '%"digits": "2"%'`);
  const { context, page } = await newPage(browser);
  await signInAs(page, server.baseUrl, 'compliance', PASSWORD);
  await page.getByTestId('search').locator('input[name=policy]').fill(POLICY);
  await page.getByTestId('search').getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('hits').locator('tr', { hasText: 'call' }).getByRole('button', { name: 'Transcript' }).click();
  await rowsOf(page, 'transcript', 'pressed 3');
  await page.getByRole('button', { name: 'Verify each event in this browser' }).click();
  await page.getByTestId('verify-summary').getByText(/verified in this browser|failed/).waitFor();
  assert.equal(await page.getByTestId('verify-summary').innerText(), '1 event(s) failed the check');
  const altered = await page.getByTestId('transcript').locator('tr', { hasText: 'pressed 3' }).innerText();
  assert.match(altered, /FAILED: its content does not hash to its chain hash \(altered\)/);
  const verified = await page.getByTestId('transcript').getByTestId('proof').allInnerTexts();
  assert.equal(verified.filter((p) => /^verified here/.test(p)).length, verified.length - 1);
  await context.close();
});
