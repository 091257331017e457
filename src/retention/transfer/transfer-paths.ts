import { TRANSFER_CONFERENCE_PATH } from '../../ivr/render-voice-turn.js';
import { transferConferenceName } from '../../ivr/twiml/hold-for-specialist.js';

/** The warm transfer's webhooks (Twilio, signed) and how their URLs carry the leg or transfer they are about. */
export const TRANSFER_PATHS = {
  whisper: '/twilio/transfer/whisper',
  answer: '/twilio/transfer/answer',
  legStatus: '/twilio/transfer/leg-status',
  conference: TRANSFER_CONFERENCE_PATH,
  /** The Dial action of a specialist calling a booked callback's customer. */
  callbackDialed: '/twilio/callback/dialed',
} as const;

/** The conference a transfer's caller waits in (named by the IVR's renderer, which puts the caller there). */
export const conferenceNameOf = transferConferenceName;

export const legUrl = (path: string, legId: string) => `${path}?leg=${legId}`;
