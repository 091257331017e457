/** Outbox topics payments write. */
export const PaymentTopics = {
  /** `{ dueId, declineClass, attemptId }`: an off-session payment failed; start failed-debit recovery. */
  RECOVERY_START: 'recovery.start',
  /** `{ attemptId }`: a second payment for a paid due; give it back. */
  REFUND_DUPLICATE: 'payments.refund-duplicate',
  /** `{ payLinkId }`: the due is paid; close its other pay links at Stripe. */
  EXPIRE_PAY_LINK: 'payments.expire-pay-link',
  /** `{ dueId, attemptId, interactionId, fallback }`: text the payment's receipt (sms' payment-receipt job). */
  RECEIPT: 'sms.payment-receipt',
  /** `{ dueId }`: the debit run charges this due off-session. */
  DEBIT_DUE: 'payments.debit-due',
  /** `{ sinceHours }`: compare Stripe's recent payments with ours. */
  RECONCILE: 'payments.reconcile',
} as const;
