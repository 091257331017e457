import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { NoticeKind } from '../../src/notices/notice-kinds.js';
import { queueNotices } from '../../src/notices/queue-notices.js';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { chargeDue } from '../../src/payments/charge-due.js';
import { createManualClock } from '../../src/shared/clock.js';
import { TEST_PUBLIC_URL } from '../support/build-test-app.js';
import type { Harness } from '../payments/payments-harness.js';
import { NOTICE_FROM as FROM, startNoticeRig, type NoticeRig } from './notice-rig.js';

// Saturday 28 November 2026, 15:00 UTC: 10:00 in Washington, where the seeded numbers (202) are.
const clock = createManualClock('2026-11-28T15:00:00Z');
let rig: NoticeRig;
let h: Harness;

before(async () => {
  rig = await startNoticeRig(clock);
  h = rig.h;
});
after(async () => rig.close());

type Seeded = Awaited<ReturnType<Harness['seedDue']>>;
/** A holder (their own, so caps never interfere) in a language, with one due of $124.50 on 1 December. */
const holder = async (locale: string, o: { due?: 'open' | 'paid' | 'failed'; policy?: string; card?: string } = {}): Promise<Seeded & { policyNumber: string }> => {
  const s = await h.seedDue(o.card ? { card: o.card } : {});
  await h.t.db.query('update policyholders set locale = $2 where id = $1', [s.holderId, locale]);
  if (o.due && o.due !== 'open') await h.t.db.query('update premium_dues set status = $2 where id = $1', [s.dueId, o.due]);
  if (o.policy) await h.t.db.query('update policies set status = $2 where id = $1', [s.policyId, o.policy]);
  const { rows } = await h.t.db.query<{ policy_number: string }>('select policy_number from policies where id = $1', [s.policyId]);
  return { ...s, policyNumber: rows[0]!.policy_number };
};
const queueOne = async (notice: NoticeKind, s: Seeded, withDue = true) => {
  const [row] = await queueNotices(h.t.db, {
    now: clock.now(), from: FROM, batchId: null,
    notices: [{ notice, policyId: s.policyId, policyholderId: s.holderId, dueId: withDue ? s.dueId : null, to: s.phone, runAt: clock.now() }],
  });
  return row!;
};
const run = (outboxId: string) => rig.run(outboxId);
const sentTo = (phone: string) => rig.carrier.messages.entries.filter((m) => m.to === phone);
const eventsOf = async (outboxId: string) =>
  (await h.t.db.query<{ type: string; payload: Record<string, unknown>; kind: string }>(
    `select e.type, e.payload, i.kind from outbox o join interactions i on i.id = o.interaction_id
       join evidence_events e on e.interaction_id = i.id where o.id = $1 order by e.seq`, [outboxId])).rows;

const EXPECTED: Record<NoticeKind, { en: RegExp; es: RegExp }> = {
  'due-reminder': { en: /^Harbor Mutual: your premium of \$124\.50 for policy HM-\S+ is due December 1\. To pay, call us at \(800\) 555-0100\. Reply STOP to opt out\.$/, es: /el pago de \$124\.50 de su seguro HM-\S+ vence el 1 de diciembre\. Para pagar, llame al \(800\) 555-0100/ },
  'payment-received': { en: /we received your payment of \$124\.50 for policy HM-/, es: /recibimos su pago de \$124\.50 para su seguro HM-/ },
  'payment-failed': { en: /did not go through\. Pay securely at http\S+ or call \(800\) 555-0100/, es: /no pudimos cobrar \$124\.50 de su seguro HM-\S+\. Pague en http\S+ o llame/ },
  'pending-cancellation': { en: /is overdue\. Pay by December 31 to keep your cover/, es: /sigue pendiente\. Pague antes del 31 de diciembre para mantener su cobertura/ },
  cancelled: { en: /policy HM-\S+ has been cancelled\. To ask about reinstating it, call us at \(800\) 555-0100/, es: /su seguro HM-\S+ fue cancelado/ },
  welcome: { en: /welcome! Your policy HM-\S+ is active\. Save our contact card/, es: /¡bienvenido! Su seguro HM-\S+ ya se encuentra activo/ },
  'reinstatement-offer': { en: /policy HM-\S+ has lapsed for non-payment\. To reinstate your cover, pay \$124\.50 at http\S+ or call/, es: /su seguro HM-\S+ fue suspendido por falta de pago\. Para reactivarlo, pague \$124\.50 en http/ },
};
const SETUP: Record<NoticeKind, { due?: 'open' | 'paid' | 'failed'; policy?: string; withDue: boolean }> = {
  'due-reminder': { withDue: true }, 'payment-received': { due: 'paid', withDue: true }, 'payment-failed': { due: 'failed', withDue: true },
  'pending-cancellation': { policy: 'grace', withDue: true }, cancelled: { policy: 'cancelled', withDue: false }, welcome: { withDue: false },
  'reinstatement-offer': { due: 'failed', policy: 'lapsed', withDue: true },
};

test('every notice renders in English and Spanish and goes through the contact engine, as evidence on an interaction of its own', async () => {
  for (const notice of Object.keys(EXPECTED) as NoticeKind[]) {
    for (const [locale, lang] of [['en-US', 'en'], ['es-US', 'es']] as const) {
      const setup = SETUP[notice];
      const s = await holder(locale, { ...(setup.due ? { due: setup.due } : {}), ...(setup.policy ? { policy: setup.policy } : {}) });
      const row = await queueOne(notice, s, setup.withDue);
      assert.equal(await run(row.id), 'done', `${notice} ${locale}`);
      const [msg] = sentTo(s.phone);
      assert.ok(msg, `${notice} ${locale}: nothing sent`);
      assert.match(msg.body, EXPECTED[notice][lang], `${notice} ${locale}`);
      assert.equal(msg.from, FROM);
      assert.deepEqual(msg.mediaUrls, notice === 'welcome' ? [`${TEST_PUBLIC_URL}/contact-card.vcf`] : [], `${notice} media`);
      const events = await eventsOf(row.id);
      assert.equal(events[0]!.kind, 'notice');
      const sent = events.find((e) => e.type === 'outbound.sent');
      assert.equal(sent?.payload.purpose, notice);
      assert.equal(sent?.payload.kind, notice === 'payment-received' ? 'transactional' : 'informational');
      assert.equal(sent?.payload.encoding, 'GSM-7', `${notice} ${locale} stays GSM-7`);
    }
  }
});

test('a notice at 22:00 the recipient’s time waits until 08:00 there, then goes', async () => {
  clock.set('2026-11-29T03:00:00Z'); // 22:00 in Washington
  try {
    const s = await holder('en-US');
    const row = await queueOne('due-reminder', s);
    assert.deepEqual(await run(row.id), { deferredUntil: new Date('2026-11-29T13:00:00Z') });
    assert.equal(sentTo(s.phone).length, 0);
    assert.deepEqual((await eventsOf(row.id)).map((e) => [e.type, e.payload.reason]), [['contact.deferred', 'quiet-hours']]);
    clock.set('2026-11-29T13:00:00Z');
    assert.equal(await run(row.id), 'done');
    assert.equal(sentTo(s.phone).length, 1);
  } finally {
    clock.set('2026-11-28T15:00:00Z');
  }
});

test('a due paid before its reminder went: paying cancels the queued reminder, and a reminder that still runs re-checks and stays silent', async () => {
  const paid = await holder('en-US', { card: 'pm_card_visa' });
  const row = await queueOne('due-reminder', paid);
  assert.equal((await chargeDue({ dueId: paid.dueId, channel: 'retry' }, h.payments.deps)).outcome, 'succeeded');
  const { rows } = await h.t.db.query<{ cancelled: boolean }>('select cancelled_at is not null as cancelled from outbox where id = $1', [row.id]);
  assert.equal(rows[0]!.cancelled, true);
  assert.equal(await run(row.id), 'skipped');

  const racing = await holder('es-US');
  const late = await queueOne('pending-cancellation', racing);
  // Paid through a path that knows nothing of the notice (no correlation): the handler reads the due again.
  await h.t.db.query(`update premium_dues set status = 'paid' where id = $1`, [racing.dueId]);
  assert.equal(await run(late.id), 'done');
  assert.deepEqual((await eventsOf(late.id)).filter((e) => e.type === 'notice.skipped').map((e) => e.payload.reason), ['due-paid']);
  assert.equal(sentTo(paid.phone).length + sentTo(racing.phone).length, 0);
});

test('every notice’s evidence chain recomputes from the stored rows', async () => {
  const chains = await verifyChains(h.t.db);
  assert.deepEqual(chains.broken, []);
  const { rows } = await h.t.db.query<{ n: number }>(`select count(*)::int as n from evidence_events e join interactions i on i.id = e.interaction_id where i.kind = 'notice'`);
  assert.ok(rows[0]!.n >= 12);
});
