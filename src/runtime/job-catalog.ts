import { bookCallbackJob } from '../retention/book-callback.job.js';
import { cancelRequestJob } from '../retention/cancel-request.job.js';
import { chargeDueJob } from '../payments/charge-due.job.js';
import { expirePayLinkJob, reconcilePaymentsJob, refundDuplicateJob, startRecoveryJob } from '../payments/payment-jobs.js';
import { sendSmsJob } from '../sms/send-sms.job.js';
import type { JobDefinition } from '../jobs/job-definition.js';

/**
 * Every job definition of the gateway, loaded by process wiring (app.ts for web, outbox-handlers.ts
 * for workers) so that any process writing outbox rows knows every topic's contract (definitions
 * register themselves as they load; the jobs domain itself imports none, so it depends on no flow);
 * the worker's registry (src/runtime/outbox-handlers.ts) has one handler for each (a test checks).
 */
export const JOB_DEFINITIONS: readonly JobDefinition[] = [
  sendSmsJob, bookCallbackJob, cancelRequestJob, chargeDueJob, startRecoveryJob, refundDuplicateJob, expirePayLinkJob, reconcilePaymentsJob,
];
