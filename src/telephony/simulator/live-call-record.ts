import type { PlaceCallOptions } from './call-player.js';
import type { CarrierNetwork, LiveCall } from './carrier-network.js';

/**
 * Puts a call that starts playing on the carrier's list of live calls (the Calls API finds it
 * there): a call the REST API created is already listed and becomes in-progress; a call placed
 * to the gateway (the softphone's) gets a resource of its own, as Twilio has one for every call.
 */
export const registerLiveCall = (
  network: CarrierNetwork,
  o: { callSid: string; options: PlaceCallOptions; direction: 'inbound' | 'outbound-api' | 'outbound-dial'; accountSid: string; now: () => Date },
): LiveCall => {
  const at = o.now();
  const known = network.calls.get(o.callSid);
  if (known) {
    Object.assign(known.record, { status: 'in-progress', startTime: known.record.startTime ?? at, dateUpdated: at });
    return known;
  }
  const live: LiveCall = {
    record: {
      sid: o.callSid, accountSid: o.accountSid, from: o.options.from, to: o.options.to, url: o.options.url ?? null, twiml: o.options.twiml ?? null,
      statusCallback: o.options.statusCallback ?? null, status: 'in-progress', answeredBy: o.options.answeredBy ?? null, duration: null,
      dateCreated: at, dateUpdated: at, startTime: at, endTime: null, params: {}, direction: o.direction,
    },
  };
  network.calls.set(o.callSid, live);
  return live;
};
