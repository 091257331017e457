/** The warm transfer's webhooks (Twilio, signed) and how their URLs carry the leg or transfer they are about. */
export const TRANSFER_PATHS = {
  whisper: '/twilio/transfer/whisper',
  answer: '/twilio/transfer/answer',
  legStatus: '/twilio/transfer/leg-status',
  conference: '/twilio/transfer/conference',
} as const;

/** The conference a transfer's caller waits in: the call's id only, no personal data in room names. */
export const conferenceNameOf = (callerCallSid: string) => `transfer-${callerCallSid}`;

export const legUrl = (path: string, legId: string) => `${path}?leg=${legId}`;
