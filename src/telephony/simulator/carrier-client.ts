import type { InboxPage } from './carrier-inbox.js';
import type { PhoneRegistration, PlacedCall } from './phone-routes.js';
import type { PhonePage } from './remote-phones.js';
import type { InboundAnswer } from './simulator-routes.js';

/** A running simulated carrier and the account credentials its endpoints check (HTTP basic auth). */
export type CarrierEndpoint = { url: string; accountSid: string; authToken: string; fetch?: typeof fetch };

/** The carrier did not answer at all (not running, wrong port, timed out). */
export class CarrierUnreachableError extends Error {
  constructor(readonly url: string, reason: string) {
    super(`Cannot reach the simulated carrier at ${url} (${reason}).`);
    this.name = 'CarrierUnreachableError';
  }
}

const reasonOf = (err: unknown): string => {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
};

const call = async <T>(c: CarrierEndpoint, path: string, init: RequestInit & { timeoutMs: number }): Promise<T> => {
  const doFetch = c.fetch ?? fetch;
  const auth = 'Basic ' + Buffer.from(`${c.accountSid}:${c.authToken}`).toString('base64');
  const timeout = AbortSignal.timeout(init.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await doFetch(new URL(path, c.url), { ...init, signal, headers: { ...init.headers, authorization: auth } });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new CarrierUnreachableError(c.url, reasonOf(err));
  }
  const text = await res.text();
  if (res.status === 401) throw new Error(`The simulated carrier at ${c.url} refused our credentials: is DATA_DIR the worker's?`);
  if (!res.ok) throw new Error(`The simulated carrier at ${c.url} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
};

/**
 * Texts the gateway through the carrier (`POST /simulator/inbound`): the carrier records an
 * opt-out or opt-in keyword, then delivers the text as Twilio would. Throws
 * CarrierUnreachableError when the carrier is not there; a gateway that is not there is in the answer.
 */
export const textThroughCarrier = (c: CarrierEndpoint, text: { from: string; to: string; body: string }): Promise<InboundAnswer> =>
  call<InboundAnswer>(c, '/simulator/inbound', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(text),
    // why: the carrier waits up to 15 s on the gateway's webhook itself.
    timeoutMs: 20_000,
  });

/**
 * What the gateway texted `number` after `after` (`GET /simulator/messages`), waiting up to
 * `waitMs` (at most 30 s) for something to arrive. `after` omitted: everything so far.
 */
export const readCarrierInbox = (c: CarrierEndpoint, q: { number: string; after?: number; waitMs?: number; signal?: AbortSignal }): Promise<InboxPage> => {
  const params = new URLSearchParams({ number: q.number, after: String(q.after ?? 0), wait: String(Math.round(q.waitMs ?? 0)) });
  return call<InboxPage>(c, `/simulator/messages?${params}`, { method: 'GET', timeoutMs: (q.waitMs ?? 0) + 10_000, ...(q.signal ? { signal: q.signal } : {}) });
};

/** Registers a softphone for `number` with the carrier (`POST /simulator/phones`): calls the carrier places to it ring there. */
export const registerPhone = (c: CarrierEndpoint, number: string): Promise<PhoneRegistration> =>
  call<PhoneRegistration>(c, '/simulator/phones', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number }), timeoutMs: 10_000 });

/** What happened on a phone's calls after `after`, waiting up to `waitMs` (at most 30 s) for something. */
export const readPhoneEvents = (c: CarrierEndpoint, phoneId: string, q: { after: number; waitMs: number; signal?: AbortSignal }): Promise<PhonePage> =>
  call<PhonePage>(c, `/simulator/phones/${phoneId}/events?after=${q.after}&wait=${Math.round(q.waitMs)}`, {
    method: 'GET', timeoutMs: q.waitMs + 10_000, ...(q.signal ? { signal: q.signal } : {}),
  });

/** Answers the ringing (`promptId` `ring`, value `answer`) or a prompt of a phone's call; false when the call moved on. */
export const answerPhone = async (c: CarrierEndpoint, phoneId: string, promptId: string, value: unknown): Promise<boolean> => {
  try {
    await call(c, `/simulator/phones/${phoneId}/answers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ promptId, value }), timeoutMs: 10_000 });
    return true;
  } catch (e) {
    if (e instanceof Error && / 409:/.test(e.message)) return false;
    throw e;
  }
};

/** Hangs up a phone's call and unregisters it (`DELETE /simulator/phones/{id}`). */
export const hangUpPhone = (c: CarrierEndpoint, phoneId: string): Promise<unknown> =>
  call(c, `/simulator/phones/${phoneId}`, { method: 'DELETE', timeoutMs: 5_000 });

/** Places a call to the gateway on the carrier with the phone as its caller (`POST /simulator/calls`). */
export const placeCallThroughCarrier = (c: CarrierEndpoint, o: { phoneId: string; from: string; to: string; maxRequests?: number; pauseMsPerSecond?: number }): Promise<PlacedCall> =>
  call<PlacedCall>(c, '/simulator/calls', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(o), timeoutMs: 10_000 });
