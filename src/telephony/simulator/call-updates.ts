import { FINAL_CALL_STATUSES, type CarrierNetwork } from './carrier-network.js';
import { callJson, type FakeTwilioError, type FormParams } from './fake-rest-resources.js';

/**
 * `POST /Calls/{CallSid}.json` as Twilio answers it: `Url` (+`Method`) or `Twiml` gives a live call
 * new TwiML (it leaves its conference first; a call still ringing uses it once answered), `Status=canceled`
 * ends a queued or ringing call, `Status=completed` hangs up a call in any live state. A call the
 * carrier does not know is 20404; new TwiML for a call already over is 21220.
 */
export const updateCall = (network: CarrierNetwork, sid: string, p: FormParams, path: string): FakeTwilioError | { status: 200; body: unknown } => {
  const live = network.calls.get(sid);
  if (!live) return { status: 404, code: 20404, message: `The requested resource ${path} was not found` };
  const c = live.record;
  const url = p.get('Url');
  const twiml = p.get('Twiml');
  const status = p.get('Status');
  if (status !== undefined && status !== 'canceled' && status !== 'completed') {
    return { status: 400, code: 20001, message: `Status must be canceled or completed, not ${status}` };
  }
  const ringing = c.status === 'queued' || c.status === 'ringing';
  if (url !== undefined || twiml !== undefined) {
    if (FINAL_CALL_STATUSES.has(c.status)) return { status: 400, code: 21220, message: 'Call is not in-progress. Cannot redirect.' };
    const method = p.get('Method')?.toUpperCase() === 'GET' ? 'GET' : 'POST';
    if (ringing) Object.assign(c, twiml !== undefined ? { twiml, url: null } : { url, twiml: null });
    else live.interrupts?.push(twiml !== undefined ? { kind: 'twiml', twiml } : { kind: 'redirect', url: url!, method });
  }
  if (status !== undefined && ringing) {
    c.status = 'canceled';
    live.cancel?.();
  } else if (status === 'completed' && c.status === 'in-progress') {
    live.interrupts?.push({ kind: 'hangup' });
  }
  return { status: 200, body: callJson(c) };
};
