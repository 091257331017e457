import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';

/** How the call speaks: the locale's Twilio voice. */
export type CallVoice = { language: string; voice: string };

const say = (vr: VoiceResponse | ReturnType<VoiceResponse['gather']>, v: CallVoice, lines: readonly string[]) => {
  for (const line of lines) vr.say({ language: v.language as never, voice: v.voice as never }, line);
};

/**
 * Lines said inside a one-key Gather whose answer goes to `action`; with no key in time the call is
 * sent to `noInput` (never dead air). Pure: the same arguments always give the same TwiML.
 */
export const renderMenu = (v: CallVoice, lines: readonly string[], urls: { action: string; noInput: string }): string => {
  const vr = new VoiceResponse();
  say(vr.gather({ input: ['dtmf'], numDigits: 1, timeout: 6, action: urls.action, method: 'POST' }), v, lines);
  vr.redirect({ method: 'POST' }, urls.noInput);
  return vr.toString();
};

/** Lines said, then the call is hung up. */
export const renderGoodbye = (v: CallVoice, lines: readonly string[]): string => {
  const vr = new VoiceResponse();
  say(vr, v, lines);
  vr.hangup();
  return vr.toString();
};

/** Lines said, a short pause, then the call asks `next` again (waiting for work done off the call). */
export const renderHold = (v: CallVoice, lines: readonly string[], next: string, pauseSeconds = 2): string => {
  const vr = new VoiceResponse();
  say(vr, v, lines);
  vr.pause({ length: pauseSeconds });
  vr.redirect({ method: 'POST' }, next);
  return vr.toString();
};

/** A North American number as it is read out: "8 0 0, 5 5 5, 0 1 0 0" for +18005550100; other numbers digit by digit. */
export const speakPhoneNumber = (e164: string): string => {
  const digits = e164.replace(/\D/g, '');
  const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  const groups = national.length === 10 ? [national.slice(0, 3), national.slice(3, 6), national.slice(6)] : [national];
  return groups.map((g) => g.split('').join(' ')).join(', ');
};
