/**
 * Evidence event types. Stored as text; a new shape of an existing type gets a
 * new schema_version, never an edit of the old one (stored history is hashed).
 */
export const EvidenceType = {
  /** A provider webhook arrived (params redacted). */
  WEBHOOK_RECEIVED: 'webhook.received',
  /** A retried webhook was answered from the stored receipt; nothing changed. */
  WEBHOOK_REPLAYED: 'webhook.replayed',
  /**
   * One webhook turn of a flow as one event: its parts (webhook.received,
   * ivr.input, flow.transition, outbound.queued, ivr.prompt...) in order, in
   * `payload.parts`. Written whenever a turn has more than one part.
   */
  FLOW_TURN: 'flow.turn',
  /** A flow session moved from one state to another. */
  FLOW_TRANSITION: 'flow.transition',
  /** What the caller was told and what input was asked for (rendered text). */
  IVR_PROMPT: 'ivr.prompt',
  /** What the caller pressed or said (secret steps recorded as redacted). */
  IVR_INPUT: 'ivr.input',
  /** Call progress from the carrier (ringing, completed...). */
  CALL_STATUS: 'call.status',
  /** Outbound side effect queued (SMS, call, charge), by outbox id. */
  OUTBOUND_QUEUED: 'outbound.queued',
  /** An outbox job finished (whatever it did is in the events after it). */
  OUTBOUND_COMPLETED: 'outbound.completed',
  /** A message or call accepted by the provider, with the provider's id. */
  OUTBOUND_SENT: 'outbound.sent',
  /** An outbound contact not made, and why (no consent, opted out, quiet hours...). */
  OUTBOUND_SUPPRESSED: 'outbound.suppressed',
  OUTBOUND_FAILED: 'outbound.failed',
  /**
   * An outbound contact held back, not dropped: when it will be tried again and why (quiet hours
   * in the recipient's zones, a frequency cap), with the zones and how they were found.
   */
  CONTACT_DEFERRED: 'contact.deferred',
  /** Delivery status of a message we sent (queued, sent, delivered, undelivered, failed). */
  SMS_STATUS: 'sms.status',
  /** Consent granted or revoked for a number and channel. */
  CONSENT_CHANGED: 'consent.changed',
  /** A reply we texted in an SMS conversation. */
  SMS_REPLY: 'sms.reply',
  /** <Pay> progress from the carrier (which field is being captured; never the digits). */
  IVR_PAY_PROGRESS: 'ivr.pay-progress',
  /** A charge made: its attempt number, amount and idempotency key. */
  PAYMENT_ATTEMPTED: 'payment.attempted',
  /** A charge not made (card-network retry limits, due not open...), and why. */
  PAYMENT_BLOCKED: 'payment.blocked',
  /** The provider's answer was lost (timeout, crash): the attempt is resolved later. */
  PAYMENT_UNCERTAIN: 'payment.uncertain',
  PAYMENT_SUCCEEDED: 'payment.succeeded',
  /** A decline or error, with the provider's decline, network and advice codes and our class. */
  PAYMENT_FAILED: 'payment.failed',
  /** A second success for a due already paid (refunded or flagged). */
  PAYMENT_DUPLICATE: 'payment.duplicate',
  /** An attempt left pending past its lease, resolved against the provider. */
  PAYMENT_RESOLVED: 'payment.resolved',
  /** What a call's charge job told the caller. */
  PAYMENT_RESULT: 'payment.result',
  /** Where a receipt went (or why none could be sent), every number checked with its consent. */
  PAYMENT_RECEIPT: 'payment.receipt',
  DUE_PAID: 'due.paid',
  PAY_LINK_CREATED: 'pay-link.created',
  /** A pay link a customer asked for by text, queued to their number (or why not: the due was paid). */
  PAY_LINK_TEXTED: 'pay-link.texted',
  /** A Stripe webhook event as received (ids and type), acted on or ignored. */
  STRIPE_EVENT: 'stripe.event',
  REFUND_REQUESTED: 'refund.requested',
  REFUND_SUCCEEDED: 'refund.succeeded',
  REFUND_CONFIRMED: 'refund.confirmed',
  /** Differences between the provider's payments and ours. */
  RECONCILIATION_REPORT: 'reconciliation.report',
  RECOVERY_REQUESTED: 'recovery.requested',
  /** A due's recovery began: its schedule (the steps and their timing) as of its start. */
  RECOVERY_STARTED: 'recovery.started',
  /** A recovery step run (what it did, on which channel, and why it differs from the schedule), skipped or deferred (why, until when). */
  RECOVERY_STEP: 'recovery.step',
  /** A task for a human caller (escalation): why, and the failure in plain words. */
  RECOVERY_TASK: 'recovery.task',
  /** The policy lapsed at the end of grace, unpaid. */
  RECOVERY_LAPSED: 'recovery.lapsed',
  /** A recovery ended: paid, reinstated (paid within the window after lapsing) or closed unpaid, and why. */
  RECOVERY_FINISHED: 'recovery.finished',
  /** A cancellation asked for (or not recorded, and why). */
  RETENTION_CANCEL_REQUESTED: 'retention.cancel-requested',
  /** A retention offer applied as quoted (or kept), with the reason and the offers declined before it. */
  RETENTION_OFFER_APPLIED: 'retention.offer-applied',
  /** An accepted offer not applied because the policy or its due changed since the quote; the case stays open. */
  RETENTION_OFFER_NOT_APPLIED: 'retention.offer-not-applied',
  /** A second decision for a case already decided (a job run twice): nothing changed. */
  RETENTION_ALREADY_DECIDED: 'retention.already-decided',
  /** A policy cancelled: effective date, ground, dues voided, and the refunds issued. */
  RETENTION_POLICY_CANCELLED: 'retention.policy-cancelled',
  /** A mis-selling complaint opened on a policy. */
  RETENTION_COMPLAINT_OPENED: 'retention.complaint-opened',
  /** A caller put on hold in a conference for a warm transfer: why, with what priority. */
  TRANSFER_REQUESTED: 'transfer.requested',
  /** A specialist's leg of a transfer moved on (dialled, ringing, answered, accepted, declined, no answer...). */
  TRANSFER_LEG: 'transfer.leg',
  /** The whisper said to a specialist before accepting, word for word. */
  TRANSFER_WHISPER: 'transfer.whisper',
  /** A transfer's outcome: bridged, nobody available, the caller hung up on hold, ended. */
  TRANSFER_OUTCOME: 'transfer.outcome',
  /** A conference status callback (join, leave, start, end) as received. */
  TRANSFER_CONFERENCE: 'transfer.conference',
  /** A callback booked: its slot (null: during business hours, no specialist on shift in the coming days). */
  CALLBACK_BOOKED: 'callback.booked',
  CALLBACK_ALREADY_BOOKED: 'callback.already-booked',
  /** A callback's attempt began at its slot (or its retry's): the specialists are rung first. */
  CALLBACK_ATTEMPT: 'callback.attempt',
  /** How a specialist's dial of a callback's customer ended, as Twilio's Dial action said (status, call, duration, bridged). */
  CALLBACK_DIALING: 'callback.dialing',
  /** The customer was reached and talked with the specialist (how long). */
  CALLBACK_DONE: 'callback.done',
  /** An attempt that did not reach the customer (no specialist, no answer, busy...), and when the retry is. */
  CALLBACK_ATTEMPT_MISSED: 'callback.attempt-missed',
  /** Both attempts missed: the callback is closed as missed and reported; the customer is texted. */
  CALLBACK_MISSED: 'callback.missed',
  /** A proactive notice not sent because it no longer applies (the due was paid meanwhile, the holder has no number...), and why. */
  NOTICE_SKIPPED: 'notice.skipped',
  /** An operator queued a batch of notices: who (token id and name), which notice, how many queued and left out. */
  NOTICE_BATCH_QUEUED: 'notice.batch-queued',
  /** A retention specialist's availability changed: from what to what, and who changed it (the specialist's or an operator's token). */
  SPECIALIST_AVAILABILITY_CHANGED: 'specialist.availability-changed',
  /** A console sign-in (who, from where); the session is known by its user only, never its cookie. */
  CONSOLE_SIGN_IN: 'console.sign-in',
  /** A refused console sign-in: the username tried, why (wrong password, unknown user, locked, disabled), from where. */
  CONSOLE_SIGN_IN_REFUSED: 'console.sign-in-refused',
  /** The wrong password that locked a console account: until when. */
  CONSOLE_ACCOUNT_LOCKED: 'console.account-locked',
  CONSOLE_SIGN_OUT: 'console.sign-out',
  /** A read of evidence (who, what, when). */
  EVIDENCE_ACCESSED: 'evidence.accessed',
  /** An export of a policy's evidence: its id, policy and window (what a bundle proves). */
  EVIDENCE_EXPORTED: 'evidence.exported',
} as const;

/** Every type a writer may append: a misspelt type does not compile. */
export type EvidenceTypeName = (typeof EvidenceType)[keyof typeof EvidenceType];

/** An event as a use-case hands it to the log; the log adds sequence, time and hashes. */
export type EvidenceDraft = {
  type: EvidenceTypeName;
  payload: Record<string, unknown>;
  providerRef?: string | null;
  /** The provider's own timestamp for the event, when it sends one. */
  providerTime?: Date | null;
  schemaVersion?: number;
};
