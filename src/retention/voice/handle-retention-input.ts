import { DateTime } from 'luxon';
import type { AnyMachineSnapshot } from 'xstate';
import { EvidenceType } from '../../evidence/evidence-event.js';
import { webhookReceived } from '../../evidence/webhook-received.js';
import type { RetentionCallEvent, RetentionCallSnapshot, RetentionChoice } from '../../flows/retention-call.machine.js';
import { findCallFacts } from '../../ivr/find-call-facts.js';
import type { VoiceInputParams } from '../../ivr/voice-params.js';
import { quoteCancellationRefund } from '../../payments/cancellation-refunds.js';
import type { RefusedText } from '../../shared/webhook-edge/clean-text.js';
import { runTurn, type TurnResult } from '../../turns/run-turn.js';
import { chooseOffers } from '../offers/choose-offers.js';
import { findPolicyFacts } from '../offers/find-policy-facts.js';
import { movedDueDate } from '../offers/reprice.js';
import { paymentDayOf, retentionChoice } from './interpret-retention-input.js';
import { renderRetentionTurn } from './render-retention-turn.js';
import type { RetentionVoiceDeps } from './retention-voice-deps.js';
import type { RetentionExpect } from './retention-turn.js';

export const RETENTION_CALL_MACHINE = 'retention-call';

/** A retention turn for a call the IVR never handed over (no identified caller and policy): nothing to run. */
export class NoRetentionCase extends Error {
  constructor(callSid: string) {
    super(`call ${callSid} has no identified caller and policy to cancel`);
    this.name = 'NoRetentionCase';
  }
}

export type RetentionTurnQuery = { step: number; expect: RetentionExpect; noinput?: '1' };

/** Today in the insurer's calendar (BUSINESS_HOURS' zone): the day a cancellation takes effect. */
const todayOf = (deps: RetentionVoiceDeps) => DateTime.fromJSDate(deps.clock.now(), { zone: deps.businessHours.zone }).toISODate()!;

/** The facts a choice needs: offers for a reason, the quote of a cancellation, business hours for a person. */
const enrich = async (choice: RetentionChoice, current: RetentionCallSnapshot, deps: RetentionVoiceDeps): Promise<RetentionCallEvent> => {
  const ctx = current.context;
  const today = todayOf(deps);
  const q = await quoteCancellationRefund({ db: deps.db, freeLookDays: deps.freeLookDays }, ctx.policy.policyId, today);
  const event: RetentionCallEvent = {
    type: 'CHOICE', choice, cancel: { effectiveDate: today, refundCents: q.refundCents, currency: q.currency },
    open: await deps.transfers.servingNow(),
  };
  if (choice.kind === 'reason') {
    const facts = await findPolicyFacts(deps.db, ctx.policy.policyId, deps.clock.now());
    event.offers = facts ? chooseOffers(deps.offers, choice.reason, facts, today).offers : [];
  }
  return event;
};

const toEvent = async (current: RetentionCallSnapshot, query: RetentionTurnQuery, p: VoiceInputParams, deps: RetentionVoiceDeps): Promise<RetentionCallEvent | null> => {
  if (query.expect === 'start') return null;
  if (query.expect === 'transfer') return { type: 'TRANSFER_ENDED', outcome: await deps.transfers.outcomeOnReturn(p.CallSid, p.CallStatus) };
  const digits = (p.Digits ?? '').replace(/#$/, '');
  const speech = (p.SpeechResult ?? '').trim();
  if (query.noinput || (!digits && !speech)) return { type: 'NO_INPUT', open: await deps.transfers.servingNow() };
  const ctx = current.context;
  if (query.expect === 'payment-day') {
    if (digits === '*' || digits === '0') return enrich({ kind: digits === '*' ? 'cancel-now' : 'person' }, current, deps);
    const day = paymentDayOf(digits);
    const offer = ctx.offers[ctx.offerIndex];
    const toDate = day !== null && offer?.kind === 'move-date' ? movedDueDate(offer.fromDate, day, todayOf(deps)) : null;
    return { type: 'PAYMENT_DAY', day, toDate };
  }
  return enrich(retentionChoice(deps.prompts, ctx.locale, query.expect, { digits, speech }), current, deps);
};

/** The event as evidence: the choice, the offers by kind and price, the quote. */
const summarise = (e: RetentionCallEvent | null) => (e ? { ...e } : null);

/**
 * A turn of the cancellation-retention call: the IVR hands the call over here
 * (expect=start) once the caller chose to cancel an identified policy; each
 * answer after that comes back with its step. The session (`retention:<CallSid>`)
 * is the call's second flow, on the call's own evidence chain.
 */
export const handleRetentionInput = async (
  { params, query, path, refused }: { params: VoiceInputParams; query: RetentionTurnQuery; path: string; refused?: readonly RefusedText[] },
  deps: RetentionVoiceDeps,
): Promise<TurnResult> =>
  runTurn(
    {
      sessionKey: `retention:${params.CallSid}`,
      dedupeKey: query.expect === 'start'
        ? `retention:${params.CallSid}:start`
        : `retention:${params.CallSid}:${query.step}:${query.expect}${query.noinput ? ':silence' : ''}`,
      start: {
        machineId: RETENTION_CALL_MACHINE,
        ref: { kind: 'call', providerRef: params.CallSid },
        init: async () => {
          const facts = await findCallFacts(deps.db, params.CallSid);
          const policy = facts ? await findPolicyFacts(deps.db, facts.policy.policyId, deps.clock.now()) : null;
          if (!facts || !policy) throw new NoRetentionCase(params.CallSid);
          return {
            input: {
              callSid: params.CallSid, from: facts.from, locale: facts.locale, policyholderId: facts.policyholderId, firstName: facts.firstName,
              policy: { policyId: policy.policyId, policyNumber: policy.policyNumber, product: policy.product },
            },
            interaction: { kind: 'call', providerRef: params.CallSid, direction: 'inbound', from: facts.from, to: params.To, policyholderId: facts.policyholderId },
          };
        },
      },
      prepare: async (current: AnyMachineSnapshot | null) => {
        const received = webhookReceived(path, params, { refused, providerRef: params.CallSid });
        if (!current) return { event: null, evidence: [received] };
        const event = await toEvent(current as RetentionCallSnapshot, query, params, deps);
        return {
          event,
          evidence: [received, {
            type: EvidenceType.IVR_INPUT, providerRef: params.CallSid,
            payload: { flow: RETENTION_CALL_MACHINE, step: query.step, expect: query.expect, noInput: query.noinput === '1',
              digits: params.Digits ?? null, speech: params.SpeechResult ?? null, event: summarise(event) },
          }],
        };
      },
      render: renderRetentionTurn(deps),
      link: (s) => ({ policyId: (s as RetentionCallSnapshot).context.policy.policyId, policyholderId: (s as RetentionCallSnapshot).context.policyholderId }),
    },
    deps,
  );
