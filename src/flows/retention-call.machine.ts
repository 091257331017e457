import { chose, transferWas, retentionCallSetup, retentionIds as ids, retryOr } from './retention-call.setup.js';

export type * from './retention-call.types.js';

/** Every step's way out: cancel now (one key), a person, or the step again. */
const always = (state: string) => [
  { guard: chose('cancel-now'), target: 'cancelled', actions: 'keepCancelQuote' },
  { guard: chose('person'), target: 'routeToPerson', actions: 'keepHours' },
  { guard: chose('repeat'), target: state, reenter: true, actions: 'resetAttempts' },
] as const;

/** After an offer is declined: the next one, or the question whether to cancel. */
const nextOffer = [
  { guard: 'declinesWithMoreOffers', target: 'offer', reenter: true, actions: 'declineOffer' },
  { guard: chose('decline'), target: 'confirmCancel', actions: ['declineOffer', 'keepCancelQuote'] },
] as const;

/**
 * A caller who wants to cancel a policy (version 1). The caller says why; the
 * offers chosen by the rules for that reason (at most two, priced from the
 * policy's own data before they reach the machine) are made one at a time;
 * accepting one applies it, declining moves on, and after the last the caller
 * is asked whether to cancel. Cancelling now is one key (7) at every step, and
 * a person (0) too. A mis-selling complaint skips the offers: the policy is
 * flagged and the caller goes to a specialist with priority. Side effects leave
 * as jobs; the call's other flow (inbound-call) hands the call over here.
 */
export const retentionCallMachine = retentionCallSetup.createMachine({
  id: 'retention-call',
  context: ({ input }) => ({
    ...input,
    reason: null, offers: [], offerIndex: 0, declined: [], accepted: null, paymentDay: null,
    cancel: null, attempts: 0, notice: null, open: false, priority: false, endReason: null,
  }),
  initial: 'askReason',
  on: { CALL_ENDED: { target: '.ended', actions: 'endedBy' } },
  states: {
    askReason: {
      entry: { type: 'outbox:retention.cancel-request', params: (a) => ({ ...ids(a), channel: 'ivr' as const }) },
      on: {
        CHOICE: [
          { guard: 'misSold', target: 'misSold', actions: ['keepReason', 'priority', 'keepHours'] },
          { guard: 'hasOffers', target: 'offer', actions: 'keepReason' },
          { guard: chose('reason'), target: 'confirmCancel', actions: ['keepReason', 'keepCancelQuote'] },
          ...always('askReason'),
          ...retryOr('askReason'),
        ],
        NO_INPUT: retryOr('askReason'),
      },
    },
    offer: {
      on: {
        CHOICE: [
          { guard: 'acceptsDateMove', target: 'askPaymentDay', actions: 'resetAttempts' },
          { guard: 'acceptsCover', target: 'policyKept' },
          { guard: chose('accept'), target: 'offerAccepted', actions: 'acceptOffer' },
          ...nextOffer,
          ...always('offer'),
          ...retryOr('offer'),
        ],
        NO_INPUT: retryOr('offer'),
      },
    },
    askPaymentDay: {
      on: {
        PAYMENT_DAY: [{ guard: 'validDay', target: 'confirmPaymentDay', actions: 'keepPaymentDay' }, ...retryOr('askPaymentDay')],
        CHOICE: [...always('askPaymentDay'), ...retryOr('askPaymentDay')],
        NO_INPUT: retryOr('askPaymentDay'),
      },
    },
    confirmPaymentDay: {
      on: {
        CHOICE: [
          { guard: chose('accept', 'yes'), target: 'offerAccepted', actions: 'acceptOffer' },
          ...nextOffer,
          ...always('confirmPaymentDay'),
          ...retryOr('confirmPaymentDay'),
        ],
        NO_INPUT: retryOr('confirmPaymentDay'),
      },
    },
    confirmCancel: {
      on: {
        CHOICE: [
          { guard: chose('yes'), target: 'cancelled', actions: 'keepCancelQuote' },
          { guard: chose('keep'), target: 'policyKept' },
          ...always('confirmCancel'),
          ...retryOr('confirmCancel'),
        ],
        NO_INPUT: retryOr('confirmCancel'),
      },
    },
    offerAccepted: {
      type: 'final',
      entry: {
        type: 'outbox:retention.apply-offer',
        params: ({ context }) => ({
          ...ids({ context }), channel: 'ivr' as const, locale: context.locale, phone: context.from, reason: context.reason,
          offer: context.accepted!, toDate: context.paymentDay?.toDate ?? null, declined: context.declined,
        }),
      },
    },
    /** The caller keeps the policy as it is (after hearing its cover, or when asked whether to cancel). */
    policyKept: {
      type: 'final',
      entry: {
        type: 'outbox:retention.apply-offer',
        params: ({ context }) => ({
          ...ids({ context }), channel: 'ivr' as const, locale: context.locale, phone: context.from, reason: context.reason,
          offer: { kind: 'explain-cover' as const, product: context.policy.product }, toDate: null, declined: context.declined,
        }),
      },
    },
    cancelled: {
      type: 'final',
      entry: {
        type: 'outbox:retention.cancel-policy',
        params: ({ context }) => ({
          ...ids({ context }), channel: 'ivr' as const, locale: context.locale, phone: context.from, reason: context.reason,
          effectiveDate: context.cancel!.effectiveDate, ground: 'cancellation' as const, declined: context.declined,
        }),
      },
    },
    misSold: {
      entry: { type: 'outbox:retention.flag-complaint', params: (a) => ({ ...ids(a), channel: 'ivr' as const }) },
      always: 'routeToPerson',
    },
    routeToPerson: {
      always: [{ guard: 'openNow', target: 'transferToPerson' }, { target: 'offerCallback' }],
    },
    /**
     * The caller waits in a conference while specialists are rung one at a time (transfer.start);
     * the wait ends with a bridge (then the call ends), nobody taking it, or the caller hanging up.
     */
    transferToPerson: {
      entry: {
        type: 'outbox:transfer.start',
        params: ({ context }) => ({
          callSid: context.callSid, flow: 'retention' as const, policyId: context.policy.policyId, policyholderId: context.policyholderId,
          phone: context.from, locale: context.locale, reason: context.priority ? 'mis-selling' : 'cancel', priority: context.priority,
          context: { reason: context.reason, offersMade: context.offers.map((o) => o.kind), offersDeclined: context.declined },
        }),
      },
      on: {
        TRANSFER_ENDED: [
          { guard: transferWas('bridged', 'ended'), target: 'goodbye', actions: 'transferEnded' },
          { guard: transferWas('abandoned'), target: 'ended', actions: 'transferEnded' },
          { target: 'offerCallback', actions: 'nobodyTookIt' },
        ],
      },
    },
    offerCallback: {
      on: {
        CHOICE: [
          { guard: chose('yes', 'accept'), target: 'callbackBooked' },
          { guard: chose('cancel-now'), target: 'cancelled', actions: 'keepCancelQuote' },
          { guard: chose('repeat'), target: 'offerCallback', reenter: true, actions: 'resetAttempts' },
          { target: 'goodbye' },
        ],
        NO_INPUT: [{ guard: 'outOfAttempts', target: 'goodbye' }, { target: 'offerCallback', reenter: true, actions: 'retry' }],
      },
    },
    callbackBooked: {
      type: 'final',
      entry: {
        type: 'outbox:callbacks.book',
        params: ({ context }) => ({
          phone: context.from, policyholderId: context.policyholderId, policyId: context.policy.policyId,
          reason: context.priority ? 'mis-selling' : 'cancel', locale: context.locale, callSid: context.callSid,
        }),
      },
    },
    goodbye: { type: 'final' },
    ended: { type: 'final' },
  },
});

export type RetentionCallSnapshot = ReturnType<typeof retentionCallMachine.getInitialSnapshot>;
