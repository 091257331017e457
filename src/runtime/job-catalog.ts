import { bookCallbackJob } from '../jobs/contracts/book-callback.job.js';
import { cancelRequestJob } from '../jobs/contracts/cancel-request.job.js';
import { chargeDueJob } from '../jobs/contracts/charge-due.job.js';
import { debitDueJob, expirePayLinkJob, reconcilePaymentsJob, refundDuplicateJob, startRecoveryJob } from '../payments/payment-jobs.js';
import { paymentReceiptJob } from '../jobs/contracts/payment-receipt.job.js';
import { sendSmsJob } from '../jobs/contracts/send-sms.job.js';
import { chargeQuoteJob } from '../jobs/contracts/charge-quote.job.js';
import { sendPayLinkJob } from '../jobs/contracts/send-pay-link.job.js';
import { applyOfferJob } from '../jobs/contracts/apply-offer.job.js';
import { cancelPolicyJob } from '../jobs/contracts/cancel-policy.job.js';
import { flagComplaintJob } from '../jobs/contracts/flag-complaint.job.js';
import { startTransferJob } from '../jobs/contracts/start-transfer.job.js';
import { abandonTransferJob, ringNextJob, ringTimeoutJob } from '../retention/transfer/transfer-jobs.js';
import { runCallbackJob } from '../retention/callbacks/callback-jobs.js';
import { recoveryFinishJob } from '../jobs/contracts/recovery-finish.job.js';
import { recoveryStepJob } from '../jobs/contracts/recovery-step.job.js';
import { recoveryWakeJob } from '../jobs/contracts/recovery-wake.job.js';
import type { JobDefinition } from '../jobs/job-definition.js';
import { sendNoticeJob } from '../notices/send-notice.job.js';

/**
 * Every job definition of the gateway, loaded by process wiring (app.ts for web, outbox-handlers.ts
 * for workers) so that any process writing outbox rows knows every topic's contract (definitions
 * register themselves as they load; the jobs domain itself imports none, so it depends on no flow);
 * the worker's registry (src/runtime/outbox-handlers.ts) has one handler for each (a test checks).
 * A definition another domain queues lives in src/jobs/contracts/ (see its README), the rest in
 * their handler's domain.
 */
export const JOB_DEFINITIONS: readonly JobDefinition[] = [
  sendSmsJob, paymentReceiptJob, bookCallbackJob, cancelRequestJob, chargeDueJob, startRecoveryJob, refundDuplicateJob, expirePayLinkJob, reconcilePaymentsJob, debitDueJob,
  chargeQuoteJob, sendPayLinkJob,
  applyOfferJob, cancelPolicyJob, flagComplaintJob,
  startTransferJob, ringNextJob, ringTimeoutJob, abandonTransferJob, runCallbackJob,
  sendNoticeJob,
  recoveryWakeJob, recoveryStepJob, recoveryFinishJob,
];
