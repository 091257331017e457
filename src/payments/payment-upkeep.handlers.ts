import type { JobHandler } from '../jobs/job-registry.js';
import type { expirePayLinkJob, reconcilePaymentsJob, refundDuplicateJob } from './payment-jobs.js';
import type { PaymentsDeps } from './payments-deps.js';
import { refundPayment } from './refund-payment.js';

/** Gives back a second payment for a paid due (refundPayment is idempotent per attempt). */
export const createRefundDuplicateHandler =
  (deps: PaymentsDeps): JobHandler<typeof refundDuplicateJob> =>
  async (job) => {
    await refundPayment({ attemptId: job.payload.attemptId, ground: 'duplicate', requestedBy: 'system:duplicate-payment' }, deps);
  };

/** Closes at Stripe a pay link of a due paid another way; a link never created there needs nothing. */
export const createExpirePayLinkHandler =
  (deps: Pick<PaymentsDeps, 'db' | 'gateway'>): JobHandler<typeof expirePayLinkJob> =>
  async (job) => {
    const { rows } = await deps.db.query<{ provider_id: string | null }>('select provider_id from pay_links where id = $1', [job.payload.payLinkId]);
    if (rows[0]?.provider_id) await deps.gateway.expirePayLink(rows[0].provider_id);
  };

/** One reconciliation run over Stripe's last `sinceHours` (default 48). */
export const createReconcilePaymentsHandler =
  (reconcile: (sinceHours: number) => Promise<void>): JobHandler<typeof reconcilePaymentsJob> =>
  async (job) => {
    await reconcile(job.payload.sinceHours ?? 48);
  };
