import './job-catalog.js';
import type { Db } from '../db/pool.js';
import { handleJob, toOutboxHandlers, type JobRegistration } from '../jobs/job-registry.js';
import type { OutboxHandlers } from '../jobs/outbox-worker.js';
import { chargeDueJob } from '../jobs/contracts/charge-due.job.js';
import { paymentReceiptJob } from '../jobs/contracts/payment-receipt.job.js';
import { createChargeDueForCallHandler } from '../payments/charge-due-for-call.handler.js';
import { findReceiptDetails } from '../payments/find-receipt-details.js';
import { expirePayLinkJob, reconcilePaymentsJob, refundDuplicateJob, startRecoveryJob } from '../payments/payment-jobs.js';
import { createExpirePayLinkHandler, createReconcilePaymentsHandler, createRefundDuplicateHandler } from '../payments/payment-upkeep.handlers.js';
import type { Payments } from '../payments/payments-module.js';
import { createStartRecoveryHandler } from '../payments/start-recovery.handler.js';
import { bookCallbackJob } from '../jobs/contracts/book-callback.job.js';
import { createBookCallbackHandler } from '../retention/book-callback.handler.js';
import { cancelRequestJob } from '../jobs/contracts/cancel-request.job.js';
import { createRecordCancelRequestHandler } from '../retention/record-cancel-request.handler.js';
import type { Clock } from '../shared/clock.js';
import { loadSmsCatalog } from '../sms/sms-catalog.js';
import { createPaymentReceiptHandler } from '../sms/send-payment-receipt.handler.js';
import { createSendSmsHandler } from '../sms/send-sms.handler.js';
import { sendSmsJob } from '../jobs/contracts/send-sms.job.js';
import type { SmsSender } from '../telephony/sms-sender.js';

export type OutboxJobDeps = {
  db: Db;
  clock: Clock;
  smsSender: SmsSender;
  fromNumber: string;
  publicBaseUrl: string;
  insurerName: string;
  payments: Payments;
};

/**
 * The one registry of outbox jobs: every job definition the gateway queues (src/runtime/job-catalog.ts)
 * with the handler that runs it, each receiving its parsed, typed payload. A flow adding a job adds
 * its line here.
 */
export const createOutboxJobs = (d: OutboxJobDeps): JobRegistration[] => {
  const now = () => d.clock.now();
  const sms = { db: d.db, sender: d.smsSender, defaultFrom: d.fromNumber, statusCallbackUrl: `${d.publicBaseUrl}/twilio/sms/status`, now };
  const smsCatalog = loadSmsCatalog();
  return [
    handleJob(sendSmsJob, createSendSmsHandler(sms)),
    handleJob(bookCallbackJob, createBookCallbackHandler({ ...sms, smsCatalog, insurerName: d.insurerName, now })),
    handleJob(cancelRequestJob, createRecordCancelRequestHandler({ db: d.db, now })),
    handleJob(chargeDueJob, createChargeDueForCallHandler({ payments: d.payments.deps })),
    handleJob(paymentReceiptJob, createPaymentReceiptHandler({
      ...sms, smsCatalog, insurerName: d.insurerName, receiptFacts: (r) => findReceiptDetails(d.db, r),
    })),
    ...paymentJobs(d.payments),
  ];
};

/** The jobs payments queue for themselves (settling, refunds, recovery), which need nothing but payments. */
export const paymentJobs = (payments: Pick<Payments, 'deps' | 'reconcile'>): JobRegistration[] => [
  handleJob(startRecoveryJob, createStartRecoveryHandler(payments.deps)),
  handleJob(refundDuplicateJob, createRefundDuplicateHandler(payments.deps)),
  handleJob(expirePayLinkJob, createExpirePayLinkHandler(payments.deps)),
  handleJob(reconcilePaymentsJob, createReconcilePaymentsHandler(payments.reconcile)),
];

/** The registry as the worker's table by topic: one table for the worker and the tests. */
export const createOutboxHandlers = (d: OutboxJobDeps): OutboxHandlers => toOutboxHandlers(createOutboxJobs(d));
