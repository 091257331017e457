/**
 * The payment provider as the gateway sees it. One adapter (Stripe, real or
 * the loopback fake). Provider ids only cross this port: never card numbers.
 *
 * Failure contract: a card decline is a *result* (`status: 'failed'`); a
 * network failure after the SDK's own retries throws
 * `AppError('PAY_PROVIDER_UNAVAILABLE')`, and the caller may retry later with
 * the same idempotency key (the provider then answers the first outcome).
 */
export type PaymentGateway = {
  readonly provider: 'stripe';
  ensureCustomer: (i: { policyholderId: string; name: string; email?: string | null; idempotencyKey: string }) => Promise<{
    customerId: string;
  }>;
  /** Attaches a tokenised card (pm_..., e.g. from Twilio <Pay>) to the customer. */
  attachPaymentMethod: (i: { customerId: string; paymentMethodId: string; idempotencyKey: string }) => Promise<SavedCard>;
  chargeOffSession: (i: ChargeRequest) => Promise<ChargeResult>;
  /**
   * What became of a charge whose answer we never got: by Stripe's payment id when we have it,
   * else by our attempt id in its metadata (Stripe's search, which is eventually consistent: null
   * is no proof the charge was never made; only replaying its idempotency key is).
   */
  findCharge: (i: { attemptId: string; paymentId: string | null }) => Promise<ChargeResult | null>;
  createPayLink: (i: PayLinkRequest) => Promise<{ id: string; url: string; expiresAt: Date }>;
  /** Ends a pay link so it cannot take a second payment once the due is paid. */
  expirePayLink: (id: string) => Promise<void>;
  refund: (i: { paymentId: string; amountCents: number; reason: 'duplicate' | 'requested_by_customer'; idempotencyKey: string; metadata: Record<string, string> }) => Promise<{
    refundId: string;
    status: 'succeeded' | 'pending' | 'failed';
    amountCents: number;
  }>;
  /** Payments created at or after `since`, with refunded amounts, for reconciliation. */
  listRecentPayments: (since: Date) => Promise<ProviderPayment[]>;
};

export type SavedCard = { paymentMethodId: string; brand: string | null; last4: string | null };

export type ChargeRequest = {
  customerId: string;
  paymentMethodId: string;
  amountCents: number;
  currency: string;
  idempotencyKey: string;
  description?: string;
  metadata: Record<string, string>;
};

/** Stripe's failure fields, as given (see classify-decline.ts for what they mean). */
export type PaymentFailure = {
  code: string | null;
  declineCode: string | null;
  networkDeclineCode: string | null;
  adviceCode: string | null;
  networkAdviceCode: string | null;
  message: string;
};

export type ChargeResult =
  | { status: 'succeeded'; paymentId: string; chargeId: string | null; amountCents: number; currency: string }
  | { status: 'failed'; paymentId: string | null; failure: PaymentFailure }
  /** Stripe is still working on it (some payment methods): the webhook settles it. */
  | { status: 'processing'; paymentId: string };

export type PayLinkRequest = {
  dueId: string;
  amountCents: number;
  currency: string;
  description: string;
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
  expiresAt: Date;
  metadata: Record<string, string>;
};

export type ProviderPayment = {
  paymentId: string;
  status: 'succeeded' | 'failed' | 'processing' | 'other';
  amountCents: number;
  amountRefundedCents: number;
  currency: string;
  created: Date;
  metadata: Record<string, string>;
};
