import { hangUpPhone, placeCallThroughCarrier, registerPhone, type CarrierEndpoint } from './carrier-client.js';
import type { InputProvider } from './input-provider.js';
import { drivePhone, type PhoneCallEnd } from './phone-driver.js';

/**
 * The softphone's call placed through the running simulated carrier rather than straight to the
 * gateway: the carrier plays it (so it can hold in a conference a specialist's softphone joins, and
 * the gateway can redirect it through the Calls API) while this process is the caller, answering
 * through a phone registered for `from`. Ctrl-C (`signal`) hangs up.
 */
export const callThroughCarrier = async (
  carrier: CarrierEndpoint,
  o: { from: string; to: string; local: InputProvider; print: (line: string) => void; maxRequests: number; pauseMsPerSecond: number; signal?: AbortSignal },
): Promise<PhoneCallEnd | undefined> => {
  const phone = await registerPhone(carrier, o.from);
  try {
    await placeCallThroughCarrier(carrier, { phoneId: phone.phoneId, from: o.from, to: o.to, maxRequests: o.maxRequests, pauseMsPerSecond: o.pauseMsPerSecond });
    return await drivePhone(carrier, phone.phoneId, { local: o.local, print: o.print, ...(o.signal ? { signal: o.signal } : {}) });
  } finally {
    await hangUpPhone(carrier, phone.phoneId).catch(() => undefined);
  }
};
