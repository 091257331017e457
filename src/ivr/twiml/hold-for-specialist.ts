import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';

/** The conference a caller holds in for a warm transfer: the call's id only, no personal data in room names. */
export const transferConferenceName = (callerCallSid: string) => `transfer-${callerCallSid}`;

/**
 * Pure: puts the caller on hold in a conference of their own (Twilio's warm-transfer pattern). It
 * starts only when a specialist who accepted joins; either leaving ends it, which ends this Dial and
 * asks `action` (as does the gateway moving the caller out of the wait when nobody takes it).
 */
export const holdForSpecialist = (vr: VoiceResponse, o: { callSid: string; action: string; holdUrl: string; statusUrl: string }): void => {
  vr.dial({ action: o.action, method: 'POST' }).conference({
    waitUrl: o.holdUrl, waitMethod: 'POST', startConferenceOnEnter: false, endConferenceOnExit: true, beep: 'false',
    statusCallback: o.statusUrl, statusCallbackMethod: 'POST', statusCallbackEvent: ['start', 'end', 'join', 'leave'], participantLabel: 'caller',
  }, transferConferenceName(o.callSid));
};
