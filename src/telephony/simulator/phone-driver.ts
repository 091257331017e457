import { answerPhone, hangUpPhone, readPhoneEvents, type CarrierEndpoint } from './carrier-client.js';
import type { CallEvent } from './call-events.js';
import type { InputProvider } from './input-provider.js';
import type { PhoneEvent } from './remote-phones.js';

/** How a call on a remote phone ended, as the carrier reported it. */
export type PhoneCallEnd = { callSid: string; status: string; reason: string };

/** Options of {@link drivePhone}. */
export type PhoneDriverOptions = {
  /** The person at the phone: asked what the carrier asks, told what the carrier plays. */
  local: InputProvider;
  print: (line: string) => void;
  /** Aborting hangs up (Ctrl-C): the carrier is told, and the driver returns. */
  signal?: AbortSignal;
  /** Long-poll length per request (default 25 s). */
  waitMs?: number;
};

/** Say and Play heard again within the last few events: a hold loop repeating itself (printed once). */
const RECENT = 4;
const audible = (e: CallEvent) => e.type === 'say' || e.type === 'play';

/**
 * Plays one call on a phone registered with the carrier: prints the ringing and picks up, hands every
 * event to the local input (a hold loop's words and music over and over only once) and answers every prompt with
 * what the local input says, until the carrier reports the call ended. Resolves with that end, or
 * undefined when hung up (signal) or the phone was unregistered.
 */
export const drivePhone = async (c: CarrierEndpoint, phoneId: string, o: PhoneDriverOptions): Promise<PhoneCallEnd | undefined> => {
  let cursor = 0;
  let recent: string[] = [];
  const handle = async (e: PhoneEvent): Promise<PhoneCallEnd | undefined> => {
    switch (e.type) {
      case 'ringing':
        o.print(`Ringing: call from ${e.from} to ${e.to}`);
        await answerPhone(c, phoneId, 'ring', 'answer');
        return undefined;
      case 'event': {
        const key = JSON.stringify(e.event);
        if (!audible(e.event)) recent = [];
        else if (recent.includes(key)) return undefined;
        else recent = [...recent, key].slice(-RECENT);
        await o.local.hear?.(e.event);
        return undefined;
      }
      case 'prompt': {
        const ask = o.local[e.kind] as ((r: unknown) => Promise<unknown>) | undefined;
        const value = ask ? await ask.call(o.local, e.request) : e.kind === 'conference' ? 'stay' : 'hangup';
        await answerPhone(c, phoneId, e.promptId, value);
        return undefined;
      }
      case 'ended':
        return { callSid: e.callSid, status: e.status, reason: e.reason };
    }
  };
  try {
    for (;;) {
      const page = await readPhoneEvents(c, phoneId, { after: cursor, waitMs: o.waitMs ?? 25_000, ...(o.signal ? { signal: o.signal } : {}) });
      cursor = page.cursor;
      for (const e of page.events) {
        const end = await handle(e);
        if (end) return end;
      }
      if (page.gone) return undefined;
    }
  } catch (err) {
    if (!o.signal?.aborted) throw err;
    await hangUpPhone(c, phoneId).catch(() => undefined);
    return undefined;
  }
};
