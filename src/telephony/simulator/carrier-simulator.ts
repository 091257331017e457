import { placeCall, type CallResult, type PlaceCallOptions } from './call-player.js';
import { sendSms, type SendSmsOptions, type SmsResult } from './sms-sender.js';
import type { WebhookTarget } from './webhook-target.js';

/** The carrier simulator bound to one gateway: places calls and sends texts to it as Twilio would. */
export type CarrierSimulator = {
  readonly target: WebhookTarget;
  placeCall: (options: PlaceCallOptions) => Promise<CallResult>;
  sendSms: (options: SendSmsOptions) => Promise<SmsResult>;
};

/**
 * Binds the simulator to a gateway.
 *
 * @example
 * const sim = createCarrierSimulator({ gatewayUrl: 'http://127.0.0.1:3000', publicBaseUrl: 'https://ivr.example.com', authToken, accountSid });
 * const call = await sim.placeCall({ from: '+15551234567', to: '+15557654321', input: createScriptedInput([{ digits: '1' }]) });
 */
export const createCarrierSimulator = (target: WebhookTarget): CarrierSimulator => ({
  target,
  placeCall: (options) => placeCall(target, options),
  sendSms: (options) => sendSms(target, options),
});
