import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OfferQuote } from './retention-call.types.js';
import type { AccountFacts, SmsConversationContext, SmsConversationEvent } from './sms-conversation.types.js';
import { decideSmsConversationTurn, SMS_RETENTION_WINDOW_MS } from './sms-retention.decide.js';

const AT = '2026-12-03T15:00:00.000Z';
const account: AccountFacts = {
  holder: { id: 'h1' },
  policies: [{ policyId: 'p1', policyNumber: 'HM-1', status: 'active', product: 'auto' }],
  dues: [],
};
const start: SmsConversationContext = {
  phone: '+12025550100', ourNumber: '+18005550100', locale: 'en-US', policyholderId: 'h1', localeFromRecord: true,
  messages: 0, reply: null, replyData: null, optOutConfirmed: false, quote: null, notUnderstood: 0, retention: null,
};
const downgrade: OfferQuote = {
  kind: 'downgrade-tier', fromTier: 'standard', toTier: 'basic', fromSumInsuredCents: 2_500_000, toSumInsuredCents: 2_500_000,
  fromPremiumCents: 12_450, toPremiumCents: 9_960, currency: 'USD', effectiveDate: '2026-12-15',
};
const moveDate: OfferQuote = { kind: 'move-date', dueId: 'd1', fromDate: '2026-12-15', amountCents: 12_450, currency: 'USD' };
const explain: OfferQuote = { kind: 'explain-cover', product: 'auto' };

const msg = (sid: string, e: Partial<SmsConversationEvent>): SmsConversationEvent =>
  ({ type: 'INBOUND', messageSid: sid, keyword: null, consent: 'granted', at: AT, today: '2026-12-03', account, ...e });

/** Folds messages through the rules as the machine does, returning every outcome. */
const talk = (...events: SmsConversationEvent[]) => {
  let c = start;
  return events.map((e) => {
    const o = decideSmsConversationTurn(c, e);
    c = { ...c, reply: o.reply, replyData: o.replyData, quote: o.quote, notUnderstood: o.notUnderstood, locale: o.locale, retention: o.retention };
    return o;
  });
};

describe('cancellation by text (conversation v4 rules)', () => {
  test('CANCEL POLICY records the case and asks why; the case is the asking text', () => {
    const [o] = talk(msg('SM1', { intent: 'cancel-policy' }));
    assert.equal(o!.reply, 'retentionReason');
    assert.deepEqual(o!.jobs, [{ topic: 'retention.cancel-request', payload: { policyId: 'p1', policyholderId: 'h1', callSid: 'SM1', channel: 'sms' } }]);
    assert.equal(o!.retention?.caseRef, 'SM1');
    assert.equal(o!.retention?.step, 'reason');
  });

  test('a reason brings the first offer; NO the next; NO again the question whether to cancel; then CANCEL NOW', () => {
    const out = talk(
      msg('SM1', { intent: 'cancel-policy' }),
      msg('SM2', { intent: 'choice', choice: 1, offers: [downgrade, moveDate, explain] }),
      msg('SM3', { intent: 'decline' }),
      msg('SM4', { intent: 'decline' }),
      msg('SM5', { intent: 'cancel-now' }),
    );
    assert.deepEqual(out.map((o) => o.reply), ['retentionReason', 'offerDowngrade', 'offerMoveDate', 'retentionDecide', null]);
    // At most two offers, however many the rules give.
    assert.equal(out[1]!.retention?.offers.length, 2);
    assert.deepEqual(out[4]!.jobs, [{
      topic: 'retention.cancel-policy',
      payload: {
        policyId: 'p1', policyholderId: 'h1', callSid: 'SM1', channel: 'sms', locale: 'en-US', phone: '+12025550100', reason: 'too-expensive',
        effectiveDate: '2026-12-03', ground: 'cancellation', declined: ['downgrade-tier', 'move-date'],
      },
    }]);
    assert.equal(out[4]!.retention, null);
  });

  test('YES applies the offer as quoted, on the case; a move of the date takes the day\'s date', () => {
    const [, , yes] = talk(msg('SM1', { intent: 'cancel-policy' }), msg('SM2', { intent: 'choice', choice: 2, offers: [downgrade] }), msg('SM3', { intent: 'confirm' }));
    assert.equal(yes!.jobs[0]!.topic, 'retention.apply-offer');
    assert.deepEqual(yes!.jobs[0]!.payload, {
      policyId: 'p1', policyholderId: 'h1', callSid: 'SM1', channel: 'sms', locale: 'en-US', phone: '+12025550100', reason: 'found-cheaper',
      offer: downgrade, toDate: null, declined: [],
    });
    const [, , yesToMove, badDay, day] = talk(
      msg('SM1', { intent: 'cancel-policy' }),
      msg('SM2', { intent: 'choice', choice: 1, offers: [moveDate] }),
      msg('SM3', { intent: 'confirm' }),
      msg('SM4', { intent: 'choice', choice: 31, toDate: null }),
      msg('SM5', { intent: 'choice', choice: 28, toDate: '2026-12-28' }),
    );
    assert.equal(yesToMove!.reply, 'offerMoveDate', 'YES alone does not say which day');
    assert.equal(badDay!.reply, 'retentionBadDay');
    assert.deepEqual(day!.jobs.map((j) => j.topic), ['retention.apply-offer']);
    assert.equal((day!.jobs[0]!.payload as { toDate: string }).toDate, '2026-12-28');
  });

  test('mis-sold skips the offers: complaint flagged and a priority callback booked', () => {
    const [, o] = talk(msg('SM1', { intent: 'cancel-policy' }), msg('SM2', { intent: 'choice', choice: 5, offers: [] }));
    assert.equal(o!.reply, 'retentionMisSold');
    assert.deepEqual(o!.jobs.map((j) => j.topic), ['retention.flag-complaint', 'callbacks.book']);
    assert.equal((o!.jobs[1]!.payload as { reason: string }).reason, 'mis-selling');
  });

  test('KEEP keeps the policy (the save recorded as the cover explained); CALL books a call about this policy', () => {
    const [, , keep] = talk(msg('SM1', { intent: 'cancel-policy' }), msg('SM2', { intent: 'choice', choice: 3, offers: [explain] }), msg('SM3', { intent: 'keep' }));
    assert.deepEqual(keep!.jobs.map((j) => [j.topic, (j.payload as { offer?: OfferQuote }).offer?.kind]), [['retention.apply-offer', 'explain-cover']]);
    const [, call] = talk(msg('SM1', { intent: 'cancel-policy' }), msg('SM2', { intent: 'person' }));
    assert.deepEqual(call!.jobs.map((j) => [j.topic, (j.payload as { policyId: string | null }).policyId]), [['callbacks.book', 'p1']]);
  });

  test('CANCEL NOW without a talk: the case recorded and the policy cancelled at once; not for a stranger', () => {
    const [o] = talk(msg('SM9', { intent: 'cancel-now' }));
    assert.deepEqual(o!.jobs.map((j) => j.topic), ['retention.cancel-request', 'retention.cancel-policy']);
    const [stranger] = talk(msg('SM9', { intent: 'cancel-now', account: { holder: null, policies: [], dues: [] } }));
    assert.equal(stranger!.reply, 'unknownNumber');
    assert.deepEqual(stranger!.jobs, []);
  });

  test('a payment quote waiting wins over an offer for YES; STOP ends the talk; a day later it has lapsed', () => {
    const quote = { quoteId: 'SMq', dueId: 'd1', policyId: 'p1', policyNumber: 'HM-1', amountCents: 12_450, currency: 'USD', paymentMethodId: 'pm_1', last4: '4242', brand: 'visa', expiresAt: '2026-12-03T15:10:00.000Z' };
    const base = talk(msg('SM1', { intent: 'cancel-policy' }), msg('SM2', { intent: 'choice', choice: 1, offers: [downgrade] }))[1]!;
    const withQuote: SmsConversationContext = { ...start, retention: base.retention, quote };
    const due = { policyId: 'p1', policyNumber: 'HM-1', dueId: 'd1', amountCents: 12_450, currency: 'USD', dueDate: '2026-12-15', card: { paymentMethodId: 'pm_1', last4: '4242', brand: 'visa' } };
    const yes = decideSmsConversationTurn(withQuote, msg('SM3', { intent: 'confirm', account: { ...account, dues: [due] } }));
    assert.deepEqual(yes.jobs.map((j) => j.topic), ['sms.charge-quote']);
    const stop = decideSmsConversationTurn({ ...start, retention: base.retention }, msg('SM4', { keyword: 'opt-out', consent: 'opted-out' }));
    assert.equal(stop.retention, null);
    const late = decideSmsConversationTurn({ ...start, retention: base.retention },
      msg('SM5', { intent: 'confirm', at: new Date(Date.parse(AT) + SMS_RETENTION_WINDOW_MS + 1).toISOString() }));
    assert.deepEqual(late.jobs, []);
    assert.equal(late.retention, null);
  });
});
