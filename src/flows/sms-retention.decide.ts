import { decideSmsTurn, type SmsJob, type SmsTurnOutcome } from './sms-conversation.decide.js';
import type { SmsConversationContext, SmsConversationEvent, SmsReplyKey, SmsRetention } from './sms-conversation.types.js';
import { RETENTION_REASONS, type OfferQuote } from './retention-call.types.js';

/** A cancellation talked through by text lapses this long after it began: a late answer starts over. */
export const SMS_RETENTION_WINDOW_MS = 24 * 3_600_000;
/** No more than two offers before the customer is asked whether to cancel. */
const MAX_OFFERS = 2;

const OFFER_REPLY: Record<OfferQuote['kind'], SmsReplyKey> = {
  'downgrade-tier': 'offerDowngrade', 'downgrade-sum': 'offerDowngrade', 'move-date': 'offerMoveDate', 'skip-instalment': 'offerSkip', 'explain-cover': 'offerExplain',
};

/** The cancellation under way on the thread, unless it lapsed. */
const liveRetention = (c: SmsConversationContext, e: SmsConversationEvent): SmsRetention | null => {
  const r = c.retention ?? null;
  if (!r) return null;
  return new Date(e.at ?? 0).getTime() - Date.parse(r.startedAt) < SMS_RETENTION_WINDOW_MS ? r : null;
};

/** What the customer is asked at a step of the cancellation (the question again after an answer we did not understand). */
const askAgain = (r: SmsRetention): Pick<SmsTurnOutcome, 'reply' | 'replyData'> => {
  const offer = r.offers[r.offerIndex];
  if (r.step === 'offer' && offer) return { reply: OFFER_REPLY[offer.kind], replyData: { policyNumber: r.policyNumber, offer } };
  return { reply: r.step === 'reason' ? 'retentionReason' : 'retentionDecide', replyData: { policyNumber: r.policyNumber } };
};

/**
 * Version 4 of the conversation's rules, pure: version 3's (decideSmsTurn), and a cancellation talked
 * through by text as the retention call does it by voice. CANCEL POLICY records the case and asks why
 * (1-6); the reason brings the offers the rules chose for it, priced from the policy (at most two, one
 * at a time: YES accepts, NO moves on; a move of the payment date takes a day 1-28); after them, or
 * with none, the customer is asked whether to cancel. CANCEL NOW cancels at once from any step (and
 * without one), KEEP keeps the policy, CALL books a specialist's call about it. A mis-selling complaint
 * skips the offers: the policy is flagged and a priority callback booked. Accepting, keeping and
 * cancelling are the retention jobs the IVR runs, on this case; their texts confirm them.
 */
export const decideSmsConversationTurn = (c: SmsConversationContext, e: SmsConversationEvent): SmsTurnOutcome & { retention: SmsRetention | null } => {
  const r = liveRetention(c, e);
  const base = decideSmsTurn(c, e);
  const keep = (o: SmsTurnOutcome, retention: SmsRetention | null = r) => ({ ...o, retention });
  if (e.keyword === 'opt-out') return keep(base, null);
  if (e.keyword || e.consent === 'opted-out') return keep(base);
  const reply = (key: SmsReplyKey, retention: SmsRetention | null, o: Partial<SmsTurnOutcome> = {}) =>
    ({ ...base, quote: null, notUnderstood: 0, reply: key, replyData: { policyNumber: retention?.policyNumber ?? r?.policyNumber ?? null }, jobs: [], ...o, retention });
  const holderId = c.policyholderId ?? e.account?.holder?.id ?? null;
  const caseOf = (x: SmsRetention) => ({
    policyId: x.policyId, policyholderId: holderId!, callSid: x.caseRef, channel: 'sms' as const, locale: base.locale, phone: c.phone, reason: x.reason,
  });
  const done = (jobs: SmsJob[]) => ({ ...base, quote: null, notUnderstood: 0, reply: null, replyData: null, jobs, retention: null });
  const cancelNow = (x: SmsRetention) =>
    done([{ topic: 'retention.cancel-policy', payload: { ...caseOf(x), effectiveDate: e.today!, ground: 'cancellation', declined: x.declined } }]);
  const keepPolicy = (x: SmsRetention) =>
    done([{ topic: 'retention.apply-offer', payload: { ...caseOf(x), offer: { kind: 'explain-cover', product: x.product }, toDate: null, declined: x.declined } }]);

  switch (e.intent) {
    case 'cancel-policy': {
      // why: version 3's checks (whose number, which policy, any left to cancel) decide; a single live policy starts the talk.
      const job = base.jobs.find((j) => j.topic === 'retention.cancel-request');
      if (!job || job.topic !== 'retention.cancel-request') return keep(base);
      const policy = e.account!.policies.find((p) => p.policyId === job.payload.policyId)!;
      const started: SmsRetention = {
        caseRef: job.payload.callSid, policyId: policy.policyId, policyNumber: policy.policyNumber, product: policy.product ?? '',
        step: 'reason', reason: null, offers: [], offerIndex: 0, declined: [], startedAt: new Date(e.at ?? 0).toISOString(),
      };
      return reply('retentionReason', started, { jobs: base.jobs });
    }
    case 'cancel-now': {
      if (r) return cancelNow(r);
      // why: without a talk under way, CANCEL NOW is CANCEL POLICY's checks and then the cancellation itself, with the case recorded.
      const asked = decideSmsTurn(c, { ...e, intent: 'cancel-policy' });
      const job = asked.jobs.find((j) => j.topic === 'retention.cancel-request');
      if (!job || job.topic !== 'retention.cancel-request') return keep(asked, null);
      const policy = e.account!.policies.find((p) => p.policyId === job.payload.policyId)!;
      const x: SmsRetention = {
        caseRef: job.payload.callSid, policyId: policy.policyId, policyNumber: policy.policyNumber, product: policy.product ?? '',
        step: 'decide', reason: null, offers: [], offerIndex: 0, declined: [], startedAt: new Date(e.at ?? 0).toISOString(),
      };
      const cancelled = cancelNow(x);
      return { ...cancelled, jobs: [job, ...cancelled.jobs] };
    }
    case 'keep':
      return r ? keepPolicy(r) : keep(base);
    case 'person':
      if (!r) return keep(base);
      return done([{ topic: 'callbacks.book', payload: { phone: c.phone, policyholderId: holderId, policyId: r.policyId, reason: 'cancel', locale: base.locale, callSid: e.messageSid } }]);
    case 'choice': {
      if (!r) return keep(base);
      const offer = r.offers[r.offerIndex];
      if (r.step === 'offer' && offer?.kind === 'move-date') {
        if (!e.toDate) return reply('retentionBadDay', r, { replyData: { policyNumber: r.policyNumber, offer } });
        return done([{ topic: 'retention.apply-offer', payload: { ...caseOf(r), offer, toDate: e.toDate, declined: r.declined } }]);
      }
      const reason = r.step === 'reason' ? RETENTION_REASONS[(e.choice ?? 0) - 1] : undefined;
      if (!reason) return reply(askAgain(r).reply!, r, { replyData: askAgain(r).replyData, notUnderstood: c.notUnderstood + 1 });
      const withReason: SmsRetention = { ...r, reason };
      if (reason === 'mis-sold') {
        return {
          ...done([
            { topic: 'retention.flag-complaint', payload: { policyId: r.policyId, policyholderId: holderId!, callSid: r.caseRef, channel: 'sms' } },
            { topic: 'callbacks.book', payload: { phone: c.phone, policyholderId: holderId, policyId: r.policyId, reason: 'mis-selling', locale: base.locale, callSid: e.messageSid } },
          ]),
          reply: 'retentionMisSold', replyData: { policyNumber: r.policyNumber },
        };
      }
      const offers = (e.offers ?? []).slice(0, MAX_OFFERS);
      if (offers.length === 0) return reply('retentionDecide', { ...withReason, step: 'decide' });
      const next: SmsRetention = { ...withReason, step: 'offer', offers, offerIndex: 0 };
      return reply(OFFER_REPLY[offers[0]!.kind], next, { replyData: { policyNumber: r.policyNumber, offer: offers[0]! } });
    }
    case 'confirm': {
      if (!r || r.step !== 'offer' || c.quote) return keep(base);
      const offer = r.offers[r.offerIndex]!;
      if (offer.kind === 'move-date') return reply('offerMoveDate', r, { replyData: { policyNumber: r.policyNumber, offer } });
      return done([{ topic: 'retention.apply-offer', payload: { ...caseOf(r), offer, toDate: null, declined: r.declined } }]);
    }
    case 'decline': {
      if (!r || r.step !== 'offer') return keep(base);
      const declined = [...r.declined, r.offers[r.offerIndex]!.kind];
      const following = r.offers[r.offerIndex + 1];
      if (!following) return reply('retentionDecide', { ...r, step: 'decide', declined });
      return reply(OFFER_REPLY[following.kind], { ...r, offerIndex: r.offerIndex + 1, declined }, { replyData: { policyNumber: r.policyNumber, offer: following } });
    }
    case null:
    case undefined: {
      // why: an answer we cannot read while a question waits gets the question again (twice: then the offer of a person).
      if (!r) return keep(base);
      const again = askAgain(r);
      return base.reply === 'offerPerson' ? keep(base) : reply(again.reply!, r, { replyData: again.replyData, notUnderstood: base.notUnderstood });
    }
    default:
      return keep(base);
  }
};
