/**
 * One error type for the whole gateway. Codes are prefixed by domain and
 * documented here; HTTP status is mapped once, in the app's error handler.
 */
export const AppErrorCode = {
  /** The request body or a field of it is not what the endpoint accepts. */
  BAD_REQUEST: 400,
  /** A webhook's provider signature is missing or wrong; nothing was processed. */
  SIGNATURE_INVALID: 403,
  /** The caller is not signed in or lacks the role for this resource. */
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  /** A concurrent writer changed the same record; the caller may retry. */
  CONFLICT: 409,
  /** The body is larger than the configured limit. */
  PAYLOAD_TOO_LARGE: 413,
  /** A dependency (Postgres, Redis, a provider) is unreachable. */
  UNAVAILABLE: 503,
  /** IVR: the voice webhook carried parameters a Twilio call never sends. */
  IVR_BAD_PARAMS: 400,
  /** SMS: the messaging webhook carried parameters Twilio never sends. */
  SMS_BAD_PARAMS: 400,
  /** Flow session: optimistic version check failed too many times in a row. */
  FLOW_CONTENTION: 409,
  /** Payments: the Stripe-Signature header is missing, malformed, stale (300 s) or wrong; nothing was written. */
  PAY_SIGNATURE_INVALID: 400,
  /** Payments: a correctly signed Stripe event without the fields every event has (id, type, data.object); nothing was written. */
  PAY_BAD_EVENT: 400,
  /** Payments: no premium due with this id. */
  PAY_DUE_NOT_FOUND: 404,
  /** Payments: the due is waived or void and cannot be charged. */
  PAY_DUE_NOT_PAYABLE: 409,
  /** Payments: the due is already paid (a pay link or refund request that no longer applies). */
  PAY_DUE_ALREADY_PAID: 409,
  /** Payments: the policyholder has no saved card and none was given. */
  PAY_NO_PAYMENT_METHOD: 409,
  /** Payments: the payment or its refundable remainder does not allow this refund. */
  PAY_NOT_REFUNDABLE: 409,
  /** Payments: Stripe saw the same idempotency key with different parameters (a bug on our side). */
  PAY_IDEMPOTENCY_MISMATCH: 409,
  /** Payments: Stripe refused the request as invalid (not a card decline). */
  PAY_PROVIDER_REJECTED: 502,
  /** Payments: Stripe unreachable after the SDK's retries; retrying with the same idempotency key is safe. */
  PAY_PROVIDER_UNAVAILABLE: 503,
  /** Evidence: a hash chain does not recompute. */
  EVD_CHAIN_BROKEN: 500,
  /** Evidence: the stored Merkle tree does not reproduce the last signed checkpoint; the sequencer refuses to sign. */
  EVD_LOG_INCONSISTENT: 500,
  /** Evidence: the event (or policy, or interaction) asked for is not in the log. */
  EVD_NOT_FOUND: 404,
  /** Evidence: the event is committed but not yet sequenced into the log; ask again in a second or two. */
  EVD_NOT_SEQUENCED: 409,
  /** Evidence: no sequencer put the export's own access event into a checkpoint in time. */
  EVD_SEQUENCER_UNAVAILABLE: 503,
  /** Evidence API: the bearer token is missing, unknown or revoked. */
  EVD_UNAUTHENTICATED: 401,
  /** Evidence API: the token's role may not read evidence. */
  EVD_FORBIDDEN: 403,
  /** Notices API: the bearer token is missing, unknown or revoked. */
  NTC_UNAUTHENTICATED: 401,
  /** Notices API: the token's role may not send notices (operator only). */
  NTC_FORBIDDEN: 403,
  /** Notices API: the request is not a notice batch the API accepts (kind, policy numbers, due). */
  NTC_BAD_REQUEST: 400,
  /** Notices API: no batch with this id. */
  NTC_BATCH_NOT_FOUND: 404,
  /** Specialists API: the bearer token is missing, unknown or revoked. */
  RET_UNAUTHENTICATED: 401,
  /** Specialists API: the token's role may not do this, or a specialist token acts for another specialist (or is bound to none). */
  RET_FORBIDDEN: 403,
  /** Specialists API: the body or a field of it is not accepted; the message names each bad field and why. */
  RET_BAD_REQUEST: 400,
  /** Specialists API: no specialist with this id. */
  RET_NOT_FOUND: 404,
  /** Warm transfer webhooks: the leg id or Twilio's parameters are not what Twilio sends (nothing recorded). */
  TRANSFER_BAD_PARAMS: 400,
  /** Transfers API: no transfer with this id. */
  RET_TRANSFER_NOT_FOUND: 404,
  /** Transfers API: the outcome cannot be carried out on this policy as it stands (the message says why). */
  RET_OUTCOME_NOT_APPLICABLE: 409,
  /** Import: the input file cannot be read as the documented CSV. */
  IMPORT_BAD_FILE: 400,
  /** Failed-debit API: no valid bearer token. */
  IMPORT_UNAUTHENTICATED: 401,
  /** Failed-debit API: a token whose role is not operator. */
  IMPORT_FORBIDDEN: 403,
  /** Recovery tasks API: no recovery task with this id. */
  RCV_TASK_NOT_FOUND: 404,
  /** Recovery tasks API: the task is claimed by another specialist, or no longer open. */
  RCV_TASK_TAKEN: 409,
} as const;

export type AppErrorCode = keyof typeof AppErrorCode;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly statusCode: number;
  readonly details: unknown;

  constructor(code: AppErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = AppErrorCode[code];
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
