import { APPLICATION_ERROR_SPEECH, type CallEndReason, type CallEvent } from './call-events.js';
import type { CallInterrupts, CarrierNetwork } from './carrier-network.js';
import type { InputProvider } from './input-provider.js';
import { parseTwiml, type TwimlNode } from './twiml-document.js';
import type { WebhookClient, WebhookParams } from './webhook-client.js';
import { publicUrlFor } from './webhook-target.js';

/** Where the player goes after a verb: on to the next verb, to a new document, or hang up. */
export type VerbOutcome =
  | { kind: 'next' }
  | { kind: 'document'; url: string; verbs: TwimlNode[] }
  | { kind: 'end'; reason: CallEndReason; rejectReason?: string };

/**
 * The mutable state of one simulated call, shared by the verb handlers.
 * Time is simulated: each verb adds an estimate of how long it would take.
 */
export type CallSession = {
  readonly client: WebhookClient;
  readonly input: InputProvider;
  readonly events: CallEvent[];
  /** Parameters Twilio sends on every request of this call (CallSid, From, To…). */
  readonly baseParams: WebhookParams;
  /** Simulated seconds since the call was answered. */
  elapsedSeconds: number;
  /** TwiML documents fetched so far (the loop guard counts these). */
  documentRequests: number;
  readonly maxRequests: number;
  /** Whether any verb has run yet (a leading `<Reject>` means the call was never answered). */
  answered: boolean;
  /** The carrier the call is on: `<Dial><Conference>` meets other calls there. Absent: the input's `dial()` plays the far end. */
  readonly network?: CarrierNetwork;
  /** What the Calls API asks of this call (redirect, hang up), raced against every verb. */
  readonly interrupts?: CallInterrupts;
  /** Real milliseconds between two plays of a conference's hold music (the wait is simulated, never a busy loop). */
  readonly holdLoopMs: number;
  /** Simulated seconds a participant stays in a conference nobody ends before hanging up. */
  readonly maxConferenceSeconds: number;
};

/** Records an event and tells the input provider. */
export const emit = async (session: CallSession, event: CallEvent): Promise<void> => {
  session.events.push(event);
  await session.input.hear?.(event);
};

/**
 * Resolves a TwiML URL (`action`, `<Redirect>`…) against the URL of the
 * document it came from, as Twilio does; `undefined` when it cannot be resolved
 * (relative URL in inline TwiML).
 */
export const resolveUrl = (ref: string | undefined, documentUrl: string | undefined): string | undefined => {
  const target = ref === undefined || ref.trim() === '' ? documentUrl : ref.trim();
  if (target === undefined) return undefined;
  try {
    return new URL(target, documentUrl).toString();
  } catch {
    return undefined;
  }
};

/** The HTTP method named by a `method` attribute (POST unless it says GET). */
export const methodOf = (node: TwimlNode, attr = 'method'): 'GET' | 'POST' =>
  node.attrs[attr]?.toUpperCase() === 'GET' ? 'GET' : 'POST';

const endWithError = async (session: CallSession, message: string, spoken = true): Promise<VerbOutcome> => {
  await emit(session, { type: 'error', message, ...(spoken ? { spoken: APPLICATION_ERROR_SPEECH } : {}) });
  return { kind: 'end', reason: 'application-error' };
};

/**
 * Requests the next TwiML document of the call and parses it. Any failure
 * (unreachable gateway, non-2xx, not TwiML) becomes an error event and ends
 * the call, as Twilio plays "an application error has occurred" and hangs up.
 * More than `maxRequests` documents on one call trips the loop guard.
 */
export const fetchDocument = async (
  session: CallSession,
  url: string | undefined,
  method: 'GET' | 'POST',
  extraParams: WebhookParams = {},
): Promise<VerbOutcome> => {
  if (url === undefined) return endWithError(session, 'cannot resolve a relative URL without a document URL');
  if (session.documentRequests >= session.maxRequests) {
    await emit(session, { type: 'error', message: `loop guard: more than ${session.maxRequests} TwiML requests on one call` });
    return { kind: 'end', reason: 'loop-guard' };
  }
  session.documentRequests += 1;
  const callStatus = session.documentRequests === 1 ? session.baseParams.CallStatus : 'in-progress';
  const params: WebhookParams = { ...session.baseParams, CallStatus: callStatus ?? 'in-progress', ...extraParams };
  const exchange = await session.client.send(url, params, { method });
  if (exchange.error !== undefined) return endWithError(session, `request to ${url} failed: ${exchange.error}`);
  if (exchange.status === undefined || exchange.status < 200 || exchange.status > 299) {
    return endWithError(session, `gateway answered HTTP ${exchange.status} for ${url}`);
  }
  const parsed = parseTwiml(exchange.body ?? '');
  if (!parsed.ok) return endWithError(session, `gateway answer for ${url} is not TwiML: ${parsed.reason}`);
  return { kind: 'document', url: publicUrlFor(session.client.target, url), verbs: parsed.verbs };
};

/** Posts a request whose TwiML answer Twilio ignores (e.g. an action after the caller hung up). */
export const notify = async (session: CallSession, url: string | undefined, method: 'GET' | 'POST', extra: WebhookParams): Promise<void> => {
  if (url === undefined) return;
  await session.client.send(url, { ...session.baseParams, CallStatus: 'completed', ...extra }, { method });
};

/** Estimated seconds to speak `text` (about 150 words a minute). */
export const speakingSeconds = (text: string): number => Math.max(1, Math.ceil(text.split(/\s+/).filter(Boolean).length / 2.5));
