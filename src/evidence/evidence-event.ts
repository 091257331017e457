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
  /** Delivery status of a message we sent (queued, sent, delivered, undelivered, failed). */
  SMS_STATUS: 'sms.status',
  /** Consent granted or revoked for a number and channel. */
  CONSENT_CHANGED: 'consent.changed',
} as const;

/** An event as a use-case hands it to the log; the log adds sequence, time and hashes. */
export type EvidenceDraft = {
  type: string;
  payload: Record<string, unknown>;
  providerRef?: string | null;
  /** The provider's own timestamp for the event, when it sends one. */
  providerTime?: Date | null;
  schemaVersion?: number;
};
