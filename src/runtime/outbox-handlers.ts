import './job-catalog.js';
import type { Db } from '../db/pool.js';
import { handleJob, toOutboxHandlers, type JobRegistration } from '../jobs/job-registry.js';
import type { OutboxHandlers } from '../jobs/outbox-worker.js';
import { chargeDueJob } from '../jobs/contracts/charge-due.job.js';
import { paymentReceiptJob } from '../jobs/contracts/payment-receipt.job.js';
import { createChargeDueForCallHandler } from '../payments/charge-due-for-call.handler.js';
import { findReceiptDetails } from '../payments/find-receipt-details.js';
import { debitDueJob, expirePayLinkJob, reconcilePaymentsJob, refundDuplicateJob, startRecoveryJob } from '../payments/payment-jobs.js';
import { createExpirePayLinkHandler, createReconcilePaymentsHandler, createRefundDuplicateHandler } from '../payments/payment-upkeep.handlers.js';
import type { Payments } from '../payments/payments-module.js';
import { createStartRecoveryHandler } from '../payments/start-recovery.handler.js';
import { bookCallbackJob } from '../jobs/contracts/book-callback.job.js';
import { createBookCallbackHandler } from '../retention/book-callback.handler.js';
import { cancelRequestJob } from '../jobs/contracts/cancel-request.job.js';
import { createRecordCancelRequestHandler } from '../retention/record-cancel-request.handler.js';
import { applyOfferJob } from '../jobs/contracts/apply-offer.job.js';
import { cancelPolicyJob } from '../jobs/contracts/cancel-policy.job.js';
import { flagComplaintJob } from '../jobs/contracts/flag-complaint.job.js';
import { createApplyOfferHandler } from '../retention/apply-offer.handler.js';
import { createCancelPolicyHandler } from '../retention/cancel-policy.handler.js';
import { createFlagComplaintHandler } from '../retention/flag-complaint.handler.js';
import type { Clock } from '../shared/clock.js';
import type { BusinessHours } from '../shared/business-hours.js';
import type { CallControl } from '../telephony/call-control.js';
import { startTransferJob } from '../jobs/contracts/start-transfer.job.js';
import { abandonTransferJob, ringNextJob, ringTimeoutJob } from '../retention/transfer/transfer-jobs.js';
import { createStartTransferHandler } from '../retention/transfer/start-transfer.handler.js';
import { createRingNextHandler } from '../retention/transfer/ring-next.handler.js';
import { createRingTimeoutHandler } from '../retention/transfer/ring-timeout.handler.js';
import { createAbandonTransferHandler } from '../retention/transfer/abandon-transfer.handler.js';
import { DEFAULT_TRANSFER_TIMINGS, type TransferTimings } from '../retention/transfer/transfer-deps.js';
import type { TransferWorkerDeps } from '../retention/transfer/transfer-worker-deps.js';
import { runCallbackJob } from '../retention/callbacks/callback-jobs.js';
import { createRunCallbackHandler } from '../retention/callbacks/run-callback.handler.js';
import { callbackRulesOf } from '../retention/callbacks/callback-rules.js';
import { loadSmsCatalog } from '../sms/sms-catalog.js';
import { createPaymentReceiptHandler } from '../sms/send-payment-receipt.handler.js';
import { createSendSmsHandler } from '../sms/send-sms.handler.js';
import { sendSmsJob } from '../jobs/contracts/send-sms.job.js';
import type { SmsSender } from '../telephony/sms-sender.js';
import { createContactEngine } from '../contact/contact-engine.js';
import type { SenderRateLimiter } from '../contact/sender-rate-limiter.js';
import type { ContactPolicy } from '../contact/contact-policy-config.js';
import type { ContactMetrics } from '../contact/contact-metrics.js';
import { loadNanpPrefixData } from '../contact/nanp-prefix-data.js';
import { deliverSms } from '../sms/deliver-sms.js';
import { DEFAULT_GRACE_PERIOD_DAYS } from '../config/config.js';
import { createPayLink } from '../payments/create-pay-link.js';
import { createDebitDueHandler } from '../payments/debit-run.js';
import { CONTACT_CARD_PATH, formatPhoneForText } from '../notices/contact-card.js';
import { loadNoticeTemplates, type NoticeTemplates } from '../notices/notice-templates.js';
import { createSendNoticeHandler } from '../notices/send-notice.handler.js';
import { queueNotices } from '../notices/queue-notices.js';
import { sendNoticeJob } from '../notices/send-notice.job.js';
import { chargeQuoteJob } from '../jobs/contracts/charge-quote.job.js';
import { sendPayLinkJob } from '../jobs/contracts/send-pay-link.job.js';
import { createChargeQuoteHandler } from '../sms/charge-quote.handler.js';
import { createSendPayLinkHandler } from '../sms/send-pay-link.handler.js';
import { chargeQuotedDue } from '../payments/charge-quoted-due.js';
import { payLinkForText } from '../payments/pay-link-for-text.js';
import { findInteractionNumbers } from '../evidence/interactions.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import type { JobDefinition } from '../jobs/job-definition.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { recoveryFinishJob } from '../jobs/contracts/recovery-finish.job.js';
import { recoveryStepJob } from '../jobs/contracts/recovery-step.job.js';
import { recoveryWakeJob } from '../jobs/contracts/recovery-wake.job.js';
import { createDeployedRegistry } from '../flows/machines.js';
import type { MachineRegistry } from '../turns/machine-registry.js';
import { loadRecoverySchedule } from '../recovery/load-recovery-schedule.js';
import type { RecoverySchedule } from '../recovery/recovery-schedule-config.js';
import type { RecoveryDeps } from '../recovery/recovery-deps.js';
import { createFinishRecoveryHandler, createStartRecoveryFlowHandler, createWakeRecoveryHandler } from '../recovery/recovery-flow.handlers.js';
import { createRunRecoveryStepHandler, type RecoveryCallPorts } from '../recovery/run-recovery-step.handler.js';
import { placeRecoveryCall } from '../recovery-call/place-recovery-call.js';

export type OutboxJobDeps = {
  db: Db;
  clock: Clock;
  smsSender: SmsSender;
  fromNumber: string;
  publicBaseUrl: string;
  insurerName: string;
  payments: Payments;
  contactPolicy: ContactPolicy;
  /** The senders' rates, shared by every worker through Redis; without one, texts go as fast as the jobs run. */
  senderLimiter?: SenderRateLimiter;
  contactMetrics?: ContactMetrics;
  /** The notices' wording, checked at start (gateway-services.ts); loaded here when not given. */
  noticeTemplates?: NoticeTemplates;
  /** GRACE_PERIOD_DAYS: the last day a pending-cancellation notice names. */
  gracePeriodDays?: number;
  /** The insurer's own zone (business hours): times the customer reads, such as a link's expiry. */
  homeZone: string;
  /** The Calls API (warm transfers ring specialists and move callers with it). */
  calls: CallControl;
  /** BUSINESS_HOURS: the hours of a specialist without their own. */
  businessHours: BusinessHours;
  /** TRANSFER_RING_SECONDS / TRANSFER_ACCEPT_SECONDS. */
  transferTimings?: TransferTimings;
  /** Hands rows a handler queued itself (a recovery's notices and turns) to BullMQ; without it the relay sends them. */
  dispatch?: (rows: OutboxRow[]) => void;
  /** RECOVERY_SCHEDULE_FILE as checked at start (gateway-services.ts); the default schedule when not given. */
  recoverySchedule?: RecoverySchedule;
  /** The deployed flow machines (a recovery's turns); the deployed registry when not given. */
  machines?: MachineRegistry;
  /** RECOVERY_CALLS_PER_SECOND, shared by every worker through Redis; without one, recovery calls go as fast as their jobs run. */
  callLimiter?: Pick<SenderRateLimiter, 'reserveFor'>;
  /** false: recovery's call steps are recorded as not run (a test that plays no calls); default: calls through `calls`. */
  recoveryCalls?: boolean;
};

/**
 * The one registry of outbox jobs: every job definition the gateway queues (src/runtime/job-catalog.ts)
 * with the handler that runs it, each receiving its parsed, typed payload. A flow adding a job adds
 * its line here.
 */
export const createOutboxJobs = (d: OutboxJobDeps): JobRegistration[] => {
  const now = () => d.clock.now();
  const graceDays = d.gracePeriodDays ?? DEFAULT_GRACE_PERIOD_DAYS;
  const recovery: RecoveryDeps = {
    db: d.db, clock: d.clock, dispatch: d.dispatch ?? (() => undefined), machines: d.machines ?? createDeployedRegistry(),
    schedule: d.recoverySchedule ?? loadRecoverySchedule(undefined, graceDays), graceDays, homeZone: d.homeZone, fromNumber: d.fromNumber,
    payments: d.payments.deps,
    queueNotice: async (n) => {
      const rows = await queueNotices(d.db, {
        now: n.now, from: d.fromNumber, batchId: null,
        notices: [{ notice: n.notice, policyId: n.policyId, policyholderId: n.policyholderId, dueId: n.dueId, to: n.to, runAt: n.now, remindOn: n.day }],
      });
      if (rows.length) d.dispatch?.(rows);
      return rows[0]?.id ?? null;
    },
  };
  const delivery = { db: d.db, sender: d.smsSender, statusCallbackUrl: `${d.publicBaseUrl}/twilio/sms/status`, now };
  // why: every text a job sends goes through this one engine (consent, quiet hours, caps, the sender's rate).
  const contact = createContactEngine({
    db: d.db, now, policy: d.contactPolicy, nanp: loadNanpPrefixData(), defaultFrom: d.fromNumber,
    deliverText: (m) => deliverSms(delivery, m),
    ...(d.senderLimiter ? { limiter: d.senderLimiter } : {}),
    ...(d.contactMetrics ? { metrics: d.contactMetrics } : {}),
  });
  const smsCatalog = loadSmsCatalog();
  const texts = { smsCatalog, insurerName: d.insurerName, now, thread: async (id: string | null) => (id ? findInteractionNumbers(d.db, id) : null) };
  return [
    handleJob(sendSmsJob, createSendSmsHandler({ contact })),
    handleJob(bookCallbackJob, createBookCallbackHandler({ db: d.db, smsCatalog, insurerName: d.insurerName, now, defaultHours: d.businessHours, homeZone: d.homeZone })),
    handleJob(cancelRequestJob, createRecordCancelRequestHandler({ db: d.db, now })),
    handleJob(applyOfferJob, createApplyOfferHandler({ db: d.db, smsCatalog, insurerName: d.insurerName, now })),
    handleJob(cancelPolicyJob, createCancelPolicyHandler({ db: d.db, payments: d.payments.deps, smsCatalog, insurerName: d.insurerName, now })),
    handleJob(flagComplaintJob, createFlagComplaintHandler({ db: d.db, now })),
    handleJob(chargeDueJob, createChargeDueForCallHandler({ payments: d.payments.deps })),
    handleJob(paymentReceiptJob, createPaymentReceiptHandler({
      db: d.db, contact, smsCatalog, insurerName: d.insurerName, receiptFacts: (r) => findReceiptDetails(d.db, r), thread: texts.thread,
    })),
    handleJob(sendNoticeJob, createSendNoticeHandler({
      db: d.db, contact, templates: d.noticeTemplates ?? loadNoticeTemplates(),
      wording: { insurerName: d.insurerName, phone: formatPhoneForText(d.fromNumber), graceDays: d.gracePeriodDays ?? DEFAULT_GRACE_PERIOD_DAYS },
      contactCardUrl: `${d.publicBaseUrl}${CONTACT_CARD_PATH}`,
      // why: a port, so notices import nothing of payments' writers; the link is made (or reused) when the notice is sent.
      payLink: async (dueId) => (await createPayLink({ dueId, text: false }, d.payments.deps)).url,
    })),
    handleJob(chargeQuoteJob, createChargeQuoteHandler({ ...texts, charge: (q) => chargeQuotedDue(q, d.payments.deps) })),
    handleJob(sendPayLinkJob, createSendPayLinkHandler({ ...texts, payLink: (dueId) => payLinkForText(dueId, d.payments.deps), homeZone: d.homeZone })),
    ...transferJobs({
      db: d.db, clock: d.clock, calls: d.calls, fromNumber: d.fromNumber, publicBaseUrl: d.publicBaseUrl,
      defaultHours: d.businessHours, timings: d.transferTimings ?? DEFAULT_TRANSFER_TIMINGS,
      callbackRules: callbackRulesOf(d.transferTimings, smsCatalog, d.insurerName),
    }),
    ...recoveryJobs(recovery, {
      decideCall: contact.decideCall,
      callLimiter: d.callLimiter ?? null,
      placeCall: d.recoveryCalls === false ? null
        : (p) => placeRecoveryCall({ db: d.db, clock: d.clock, calls: d.calls, publicBaseUrl: d.publicBaseUrl, fromNumber: d.fromNumber }, p),
    }),
    ...paymentJobs(d.payments, { thenStartRecovery: createStartRecoveryFlowHandler(recovery) }),
  ];
};

/** Failed-debit recovery's jobs: wake a due's flow, run a step it decided, finish it. */
const recoveryJobs = (r: RecoveryDeps, calls: RecoveryCallPorts): JobRegistration[] => [
  handleJob(recoveryWakeJob, createWakeRecoveryHandler(r)),
  handleJob(recoveryStepJob, createRunRecoveryStepHandler({ ...r, ...calls })),
  handleJob(recoveryFinishJob, createFinishRecoveryHandler(r)),
];

/** Runs `first`, then `then` when given (its result is the job's). */
const chain = <D extends JobDefinition>(first: JobHandler<D>, then?: JobHandler<D>): JobHandler<D> =>
  then ? async (job) => { await first(job); return then(job); } : first;

/** The warm transfer's jobs: record it, ring specialists one at a time, pass over the silent, hang up on the abandoned. */
const transferJobs = (d: TransferWorkerDeps): JobRegistration[] => [
  handleJob(startTransferJob, createStartTransferHandler(d)),
  handleJob(ringNextJob, createRingNextHandler(d)),
  handleJob(ringTimeoutJob, createRingTimeoutHandler(d)),
  handleJob(abandonTransferJob, createAbandonTransferHandler(d)),
  handleJob(runCallbackJob, createRunCallbackHandler(d)),
];

/**
 * The jobs payments queue for themselves (settling, refunds, the start of recovery), which need
 * nothing but payments; `thenStartRecovery` runs after payments marked a failed due (the recovery flow).
 */
export const paymentJobs = (
  payments: Pick<Payments, 'deps' | 'reconcile'>, o: { thenStartRecovery?: JobHandler<typeof startRecoveryJob> } = {},
): JobRegistration[] => [
  handleJob(startRecoveryJob, chain(createStartRecoveryHandler(payments.deps), o.thenStartRecovery)),
  handleJob(refundDuplicateJob, createRefundDuplicateHandler(payments.deps)),
  handleJob(expirePayLinkJob, createExpirePayLinkHandler(payments.deps)),
  handleJob(reconcilePaymentsJob, createReconcilePaymentsHandler(payments.reconcile)),
  handleJob(debitDueJob, createDebitDueHandler(payments.deps)),
];

/** The registry as the worker's table by topic: one table for the worker and the tests. */
export const createOutboxHandlers = (d: OutboxJobDeps): OutboxHandlers => toOutboxHandlers(createOutboxJobs(d));
