import type { CallControl } from '../telephony/call-control.js';
import { findLiveCarrier } from '../telephony/simulator/carrier-file.js';
import { createTwilioCallControl } from '../telephony/twilio-call-control.js';
import { createTwilioClient } from '../telephony/twilio-client.js';
import type { GatewayServices } from './gateway-services.js';

/**
 * The Calls API for the web process (a recovery call's webhooks move a machine's call to its
 * voicemail): Twilio (or TWILIO_API_URL); with the simulated carrier, which runs in the worker, the
 * one DATA_DIR/simulated-carrier.json names, looked up at each use (the worker may start after the web,
 * or restart on another port).
 */
export const createWebCallControl = (s: Pick<GatewayServices, 'twilio' | 'config'>): CallControl => {
  const credentials = { accountSid: s.twilio.accountSid, authToken: s.twilio.authToken };
  const direct = s.twilio.simulated
    ? null
    : createTwilioCallControl(createTwilioClient({ ...credentials, ...(s.config.twilio.apiUrl ? { apiBaseUrl: s.config.twilio.apiUrl } : {}) }));
  const current = async (): Promise<CallControl> => {
    if (direct) return direct;
    const carrier = await findLiveCarrier(s.config.dataDir);
    if (!carrier) throw new Error(`no simulated carrier is running for DATA_DIR ${s.config.dataDir} (start the worker)`);
    return createTwilioCallControl(createTwilioClient({ ...credentials, apiBaseUrl: carrier.url }));
  };
  return {
    dial: async (o) => (await current()).dial(o),
    dialWithAmd: async (o) => (await current()).dialWithAmd(o),
    redirect: async (callSid, url) => (await current()).redirect(callSid, url),
    hangup: async (callSid) => (await current()).hangup(callSid),
  };
};
