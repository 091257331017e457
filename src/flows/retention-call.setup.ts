import { assign, setup } from 'xstate';
import type { JobPayloadIn } from '../jobs/job-definition.js';
import type { applyOfferJob } from '../jobs/contracts/apply-offer.job.js';
import type { cancelPolicyJob } from '../jobs/contracts/cancel-policy.job.js';
import type { flagComplaintJob } from '../jobs/contracts/flag-complaint.job.js';
import type { bookCallbackJob } from '../jobs/contracts/book-callback.job.js';
import type { cancelRequestJob } from '../jobs/contracts/cancel-request.job.js';
import type { startTransferJob } from '../jobs/contracts/start-transfer.job.js';
import type { RetentionCallContext, RetentionCallEvent, RetentionCallInput, RetentionChoice, TransferOutcome } from './retention-call.types.js';

/** Tries per step before the caller is offered a person. */
export const RETENTION_MAX_ATTEMPTS = 3;

/** Guard: the caller chose one of these (named, so the generated diagram says which). */
export const chose = (...kinds: RetentionChoice['kind'][]) =>
  Object.defineProperty(
    ({ event }: { event: RetentionCallEvent }) => event.type === 'CHOICE' && kinds.includes(event.choice.kind),
    'name',
    { value: kinds.join('|') },
  );

/** Guard: the caller's wait for a specialist ended with the transfer standing so. */
export const transferWas = (...outcomes: TransferOutcome[]) =>
  Object.defineProperty(
    ({ event }: { event: RetentionCallEvent }) => event.type === 'TRANSFER_ENDED' && outcomes.includes(event.outcome),
    'name',
    { value: outcomes.join('|') },
  );

/** After a failed try: the same prompt with a notice, or a person once tries run out. */
export const retryOr = (state: string) =>
  [
    { guard: 'outOfAttempts', target: 'routeToPerson', actions: 'keepHours' },
    { target: state, reenter: true, actions: 'retry' },
  ] as const;

const isAccept = (e: RetentionCallEvent) => e.type === 'CHOICE' && e.choice.kind === 'accept';

const ids = ({ context }: { context: RetentionCallContext }) => ({
  policyId: context.policy.policyId,
  policyholderId: context.policyholderId,
  callSid: context.callSid,
});

export const retentionCallSetup = setup({
  types: {} as { context: RetentionCallContext; events: RetentionCallEvent; input: RetentionCallInput },
  guards: {
    outOfAttempts: ({ context }) => context.attempts + 1 >= RETENTION_MAX_ATTEMPTS,
    misSold: ({ event }) => event.type === 'CHOICE' && event.choice.kind === 'reason' && event.choice.reason === 'mis-sold',
    hasOffers: ({ event }) => event.type === 'CHOICE' && (event.offers?.length ?? 0) > 0,
    acceptsDateMove: ({ context, event }) => isAccept(event) && context.offers[context.offerIndex]?.kind === 'move-date',
    acceptsCover: ({ context, event }) => isAccept(event) && context.offers[context.offerIndex]?.kind === 'explain-cover',
    declinesWithMoreOffers: ({ context, event }) =>
      event.type === 'CHOICE' && event.choice.kind === 'decline' && context.offerIndex + 1 < context.offers.length,
    validDay: ({ event }) => event.type === 'PAYMENT_DAY' && event.day !== null && event.toDate !== null,
    openNow: ({ context }) => context.open,
  },
  actions: {
    retry: assign({
      attempts: ({ context }) => context.attempts + 1,
      notice: ({ event }) => (event.type === 'NO_INPUT' ? 'no-input' as const : event.type === 'PAYMENT_DAY' ? 'bad-day' as const : 'invalid' as const),
    }),
    resetAttempts: assign({ attempts: 0, notice: null }),
    keepReason: assign({
      reason: ({ event }) => (event.type === 'CHOICE' && event.choice.kind === 'reason' ? event.choice.reason : null),
      offers: ({ event }) => (event.type === 'CHOICE' ? (event.offers ?? []) : []),
      offerIndex: 0,
      attempts: 0,
      notice: null,
    }),
    keepCancelQuote: assign({
      cancel: ({ context, event }) => ((event.type === 'CHOICE' || event.type === 'NO_INPUT') && event.cancel ? event.cancel : context.cancel),
    }),
    declineOffer: assign({
      declined: ({ context }) => [...context.declined, context.offers[context.offerIndex]!.kind],
      offerIndex: ({ context }) => context.offerIndex + 1,
      paymentDay: null,
      attempts: 0,
      notice: null,
    }),
    keepPaymentDay: assign({
      paymentDay: ({ event }) => (event.type === 'PAYMENT_DAY' && event.day !== null && event.toDate !== null ? { day: event.day, toDate: event.toDate } : null),
      attempts: 0,
      notice: null,
    }),
    acceptOffer: assign({ accepted: ({ context }) => context.offers[context.offerIndex] ?? null }),
    // why: the way to a person starts afresh: a caller who ran out of tries elsewhere still gets every try at the callback offer.
    keepHours: assign({ open: ({ event }) => (event.type === 'CHOICE' || event.type === 'NO_INPUT' ? event.open === true : false), attempts: 0, notice: null }),
    priority: assign({ priority: true }),
    transferEnded: assign({ endReason: ({ event }) => (event.type === 'TRANSFER_ENDED' ? `transfer-${event.outcome}` : 'transfer') }),
    nobodyTookIt: assign({ notice: 'no-specialist' as const, attempts: 0, endReason: 'transfer-no-specialist' }),
    endedBy: assign({ endReason: ({ event }) => (event.type === 'CALL_ENDED' ? event.status : 'ended') }),
    // Jobs: params typed by their job definitions; the outbox writer checks them against the same ones.
    'outbox:retention.cancel-request': (_, _p: JobPayloadIn<typeof cancelRequestJob>) => undefined,
    'outbox:retention.apply-offer': (_, _p: JobPayloadIn<typeof applyOfferJob>) => undefined,
    'outbox:retention.cancel-policy': (_, _p: JobPayloadIn<typeof cancelPolicyJob>) => undefined,
    'outbox:retention.flag-complaint': (_, _p: JobPayloadIn<typeof flagComplaintJob>) => undefined,
    'outbox:callbacks.book': (_, _p: JobPayloadIn<typeof bookCallbackJob>) => undefined,
    'outbox:transfer.start': (_, _p: JobPayloadIn<typeof startTransferJob>) => undefined,
  },
});

export { ids as retentionIds };
export type RetentionCallConfig = Parameters<typeof retentionCallSetup.createMachine>[0];
