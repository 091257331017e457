/** The `Result` values Twilio documents for the `<Pay>` action callback: one list for the gateway and the simulator. */
export const PAY_RESULTS = [
  'success',
  'too-many-failed-attempts',
  'payment-connector-error',
  'caller-interrupted-with-star',
  'caller-hung-up',
  'validation-error',
  'internal-error',
] as const;

export type PayResult = (typeof PAY_RESULTS)[number];
