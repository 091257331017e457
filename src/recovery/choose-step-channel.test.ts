import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CardAttempt } from '../payments/card-retry-limits.js';
import { planRecovery } from './plan-recovery.js';
import type { PlannedStep, RecoveryFacts } from './recovery-facts.js';
import { failedDue, schedule } from './test-support/failed-due.js';

const step = (facts: RecoveryFacts, id: string): PlannedStep => planRecovery(schedule, facts, []).steps.find((s) => s.stepId === id)!;
const how = (s: PlannedStep) => (s.type === 'run' ? `${s.does}/${s.channel}` : 'skipped');
const why = (s: PlannedStep) => s.why ?? '';

describe('charge retries and the decline', () => {
  it('never charges a lost card again: a pay link by text instead, with the reason for the record', () => {
    const lost = failedDue({}, { code: 'card_declined', declineCode: 'lost_card' });
    for (const id of ['first-retry', 'second-retry']) {
      const s = step(lost, id);
      assert.equal(how(s), 'sms-pay-link/sms');
      assert.match(why(s), /^no charge: The card was reported lost.*\(decline_code=lost_card\) A pay link instead$/);
    }
  });

  it('never charges after do_not_try_again advice, even on a decline code that alone would allow it', () => {
    const s = step(failedDue({}, { declineCode: 'insufficient_funds', adviceCode: 'do_not_try_again' }), 'first-retry');
    assert.equal(how(s), 'sms-pay-link/sms');
    assert.match(why(s), /advice_code=do_not_try_again/);
  });

  it('asks for new details rather than retry an expired card; calls to pay when texts are not allowed', () => {
    const expired = failedDue({ consent: { sms: false, voice: true } }, { declineCode: 'expired_card' });
    const s = step(expired, 'first-retry');
    assert.equal(how(s), 'call/voice');
    assert.match(why(s), /The card has expired.*no SMS consent, a call to pay instead/);
  });

  it('moves a retry past the Mastercard cap of 10 declines in 24 hours to when a slot frees', () => {
    const declines: CardAttempt[] = Array.from({ length: 10 }, (_, i) => ({ at: new Date(Date.parse('2026-12-05T16:00:00Z') + i * 60_000), status: 'failed', declineClass: 'retry-later' }));
    const s = step(failedDue({ card: { network: 'mastercard', attempts: declines } }), 'first-retry');
    assert.equal(s.type === 'run' && `${s.does}/${s.channel} ${s.at}`, 'charge-retry/card 2026-12-06T10:00:00.000-06:00');
    assert.match(why(s), /^Card network limit reached: 10 declines in 24 hours \(Mastercard\)\. Moved to 2026-12-06T10:00:00.000-06:00$/);
  });

  it('skips a retry whose card cap does not free before the end of grace', () => {
    const day = 24 * 3_600_000;
    const declines: CardAttempt[] = Array.from({ length: 15 }, (_, i) => ({ at: new Date(Date.parse('2026-12-04T12:00:00Z') + (i % 2) * day), status: 'failed', declineClass: 'retry-later' }));
    const s = step(failedDue({ card: { network: 'visa', attempts: declines } }), 'second-retry');
    assert.equal(how(s), 'skipped');
    assert.match(why(s), /15 declines in 30 days \(Visa\)\. No slot before the end of grace/);
  });
});

describe('consent decides the channel', () => {
  it('calls instead of texting a customer who opted out of texts but not of calls', () => {
    const noTexts = failedDue({ consent: { sms: false, voice: true } });
    assert.deepEqual(planRecovery(schedule, noTexts, []).steps.map((s) => `${s.stepId} ${how(s)}`), [
      'pay-link call/voice', 'first-call call/voice', 'first-retry charge-retry/card', 'reminder reminder-sms/voice', 'second-call call/voice',
      'second-retry charge-retry/card', 'final-notice final-notice/voice', 'cancel cancel/voice', 'reinstatement-offer reinstatement-offer/voice',
    ]);
    assert.equal(why(step(noTexts, 'reminder')), 'no SMS consent, said in a call instead');
  });

  it('texts a pay link instead of calling a customer who did not agree to calls', () => {
    const s = step(failedDue({ consent: { sms: true, voice: false } }), 'second-call');
    assert.equal(how(s), 'sms-pay-link/sms');
    assert.equal(why(s), 'no voice consent, a pay link by text instead');
  });

  it('contacts nobody without consent but still cancels at the end of grace, saying no notice came from us', () => {
    const none = failedDue({ consent: { sms: false, voice: false } });
    const plan = planRecovery(schedule, none, []);
    assert.deepEqual(plan.steps.filter((s) => s.type === 'run').map((s) => s.stepId), ['first-retry', 'second-retry', 'cancel']);
    assert.equal(why(step(none, 'pay-link')), 'no consent to text or call the customer');
    assert.equal(why(step(none, 'cancel')), 'no consent to text or call the customer: cancelled without a notice from us');
  });
});

describe('escalation to a human caller', () => {
  it('has a person make the calls for a premium above the threshold, saying why', () => {
    const big = failedDue({ amountCents: 62_500 });
    const s = step(big, 'first-call');
    assert.equal(how(s), 'call/specialist');
    assert.equal(why(s), 'a person calls: the premium of $625.00 is above $500.00');
    assert.equal(how(step(failedDue({ amountCents: 50_000 }), 'first-call')), 'call/voice');
  });

  it('has a person call a customer who asked for one, texts staying texts', () => {
    const asked = failedDue({ askedForPerson: true });
    assert.equal(why(step(asked, 'second-call')), 'a person calls: the customer asked for a person');
    assert.equal(how(step(asked, 'reminder')), 'reminder-sms/sms');
  });
});
