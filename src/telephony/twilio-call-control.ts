import type { CallControl } from './call-control.js';
import type { TwilioClient } from './twilio-client.js';

/** Twilio's "call not in progress / not found" answers: the call ended on its own, nothing to do. */
const CALL_OVER = new Set([20404, 21220]);
const isCallOver = (err: unknown) => CALL_OVER.has((err as { code?: number }).code ?? 0);

/** The CallControl port on Twilio's Calls API (the real SDK; the simulated carrier behind it in development). */
export const createTwilioCallControl = (client: TwilioClient): CallControl => {
  const create = async (o: Parameters<CallControl['dial']>[0], amdCallback?: string) => {
    const call = await client.calls.create({
      to: o.to, from: o.from, url: o.url, method: 'POST', timeout: o.timeoutSeconds,
      statusCallback: o.statusCallback, statusCallbackMethod: 'POST', statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      // why: DetectMessageEnd waits for the greeting's beep, so a voicemail left after it is heard whole.
      ...(amdCallback ? { machineDetection: 'DetectMessageEnd', asyncAmd: 'true', asyncAmdStatusCallback: amdCallback, asyncAmdStatusCallbackMethod: 'POST' } : {}),
    });
    return { callSid: call.sid };
  };
  return {
    dial: (o) => create(o),
    dialWithAmd: (o) => create(o, o.amdCallback),
    redirect: async (callSid, url) => {
      try {
        await client.calls(callSid).update({ url, method: 'POST' });
        return true;
      } catch (err) {
        if (isCallOver(err)) return false;
        throw err;
      }
    },
    hangup: async (callSid) => {
      try {
        const call = await client.calls(callSid).fetch();
        if (['queued', 'ringing'].includes(call.status)) await client.calls(callSid).update({ status: 'canceled' });
        else if (call.status === 'in-progress') await client.calls(callSid).update({ status: 'completed' });
      } catch (err) {
        if (!isCallOver(err)) throw err;
      }
    },
  };
};
