/**
 * What a failed delivery means, from Twilio's error code (https://www.twilio.com/docs/api/errors):
 * - `handset-unreachable`: off, out of coverage (30003) or the carrier's hiccup (30001, 30008): worth a later try;
 * - `number-invalid`: no such handset (30005) or not a valid number (21211, 21614);
 * - `landline`: the number cannot take texts (30006);
 * - `blocked`: the recipient or their carrier blocks us (30004);
 * - `filtered`: the carrier filtered the content as spam (30007);
 * - `sender-problem`: ours to fix (account suspended 30002, unregistered 10DLC 30034, toll-free not verified 30032);
 * - `opted-out`: the recipient unsubscribed from this sender (21610): an opt-out like STOP;
 * - `unknown`: a code not listed here, kept as given.
 */
export type DeliveryFailureClass =
  | 'handset-unreachable' | 'number-invalid' | 'landline' | 'blocked' | 'filtered' | 'sender-problem' | 'opted-out' | 'unknown';

const BY_CODE: Record<number, DeliveryFailureClass> = {
  30001: 'handset-unreachable', 30003: 'handset-unreachable', 30008: 'handset-unreachable',
  30005: 'number-invalid', 21211: 'number-invalid', 21614: 'number-invalid',
  30006: 'landline',
  30004: 'blocked',
  30007: 'filtered',
  30002: 'sender-problem', 30032: 'sender-problem', 30034: 'sender-problem',
  21610: 'opted-out',
};

/** The class of a failed delivery; `retryable` when a later text may reach the same number. Null without a code. */
export const classifyDeliveryError = (code: number | null): { failure: DeliveryFailureClass; retryable: boolean } | null => {
  if (code === null) return null;
  const failure = Object.hasOwn(BY_CODE, code) ? BY_CODE[code]! : 'unknown';
  return { failure, retryable: failure === 'handset-unreachable' || failure === 'unknown' || failure === 'sender-problem' };
};
