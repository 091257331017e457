import { emit, fetchDocument, methodOf, resolveUrl, type CallSession, type VerbOutcome } from './call-session.js';
import type { CallEndReason, CallEvent } from './call-events.js';
import { CallInterrupts, type CallInterrupt, type CarrierNetwork } from './carrier-network.js';
import { runDial, runEnqueue } from './dial-verb.js';
import { runGather } from './gather-verb.js';
import type { InputProvider } from './input-provider.js';
import { playMedia } from './media-verbs.js';
import { runPay } from './pay-verb.js';
import { toRfc2822 } from './rfc2822.js';
import { newSid } from './sids.js';
import { parseTwiml, type TwimlNode } from './twiml-document.js';
import { registerLiveCall } from './live-call-record.js';
import { createWebhookClient, type WebhookClient, type WebhookExchange, type WebhookParams } from './webhook-client.js';
import type { WebhookTarget } from './webhook-target.js';

/** Call progress events a status callback can subscribe to. */
export type StatusCallbackEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

/** Options of {@link placeCall}. */
export type PlaceCallOptions = {
  from: string;
  to: string;
  /** Default: a fresh `CA…` SID. */
  callSid?: string;
  /** The caller (scripted, interactive, or silent). */
  input: InputProvider;
  /** Default `inbound` (`outbound-api` for calls created through the REST API). */
  direction?: 'inbound' | 'outbound-api' | 'outbound-dial';
  /** `AnsweredBy` as answering machine detection reports it (`human`, `machine_start`…). */
  answeredBy?: string;
  /** Voice webhook: path or absolute public URL (default `/twilio/voice`). */
  url?: string;
  /** Method for the voice webhook (default POST). */
  method?: 'GET' | 'POST';
  /** Inline TwiML to start with instead of requesting `url` (its action URLs must then be absolute). */
  twiml?: string;
  /** Status callback path or URL (default `/twilio/voice/status`); `null` sends none. */
  statusCallback?: string | null;
  statusCallbackMethod?: 'GET' | 'POST';
  /** Events reported to the status callback (default only `completed`, as Twilio). */
  statusCallbackEvents?: StatusCallbackEvent[];
  /** SequenceNumber of the first status callback (default 0; more when the ringing was reported already). */
  statusSequenceStart?: number;
  /** Loop guard: most TwiML documents requested on one call (default 200). */
  maxRequests?: number;
  /** Extra parameters sent on every request of the call (e.g. `FromCountry`). */
  extraParams?: WebhookParams;
  /** Time source for status-callback timestamps (default: system time). */
  now?: () => Date;
  /** Reuse a webhook client (and its transcript) instead of creating one. */
  client?: WebhookClient;
  /**
   * The carrier the call is on (e.g. `FakeTwilioApi.network`): `<Dial><Conference>` joins its
   * conferences and the Calls API can redirect or hang up the call. Absent: conferences are the
   * input's `dial()`, and the call cannot be updated (as before conferences were played).
   */
  network?: CarrierNetwork;
  /** Real milliseconds between two plays of a conference's hold music (default 100). */
  holdLoopMs?: number;
  /** Simulated seconds a participant stays in a conference nobody ends, then hangs up (default 4 hours). */
  maxConferenceSeconds?: number;
  /**
   * Runs once the call's first TwiML document is in hand, before its verbs play (the fake carrier posts
   * an asynchronous AMD result there: the call has connected and its TwiML is starting).
   */
  onConnected?: () => Promise<void>;
};

/** What happened on a simulated call. */
export type CallResult = {
  callSid: string;
  /** Everything heard, entered and done, in order; the last event is `end`. */
  events: CallEvent[];
  /** Every webhook request and the gateway's answer, status callbacks included. */
  transcript: WebhookExchange[];
  endReason: CallEndReason;
  /** `CallStatus` of the final status callback (`completed`, `busy`, `no-answer`). */
  finalStatus: string;
  /** Simulated duration in seconds. */
  durationSeconds: number;
  /** The text of every `<Say>`, in order. */
  said: string[];
  /** Error messages recorded on the call. */
  errors: string[];
  /** The client used, to re-send requests (Twilio retries) in tests. */
  client: WebhookClient;
};

/** Runs one verb of a document. */
const runVerb = async (session: CallSession, node: TwimlNode, url: string | undefined, isFirst: boolean): Promise<VerbOutcome> => {
  if (await playMedia(session, node)) return { kind: 'next' };
  switch (node.name) {
    case 'Gather':
      return runGather(session, node, url);
    case 'Redirect': {
      const target = resolveUrl(node.text, url);
      await emit(session, { type: 'redirect', url: target ?? node.text });
      return fetchDocument(session, target, methodOf(node));
    }
    case 'Pay':
      return runPay(session, node, url);
    case 'Dial':
      return runDial(session, node, url);
    case 'Enqueue':
      return runEnqueue(session, node, url);
    case 'Hangup':
      return { kind: 'end', reason: 'hangup-verb' };
    case 'Reject':
      if (isFirst) session.answered = false;
      return { kind: 'end', reason: 'reject-verb', rejectReason: node.attrs.reason ?? 'rejected' };
    default:
      await emit(session, { type: 'unsupported', verb: node.name });
      return { kind: 'next' };
  }
};

/** What the Calls API asked: the call leaves where it is (its conference) and goes on with new TwiML, or ends. */
const applyInterrupt = async (session: CallSession, i: CallInterrupt): Promise<VerbOutcome> => {
  await session.network?.conferences.participantOf(session.baseParams.CallSid ?? '')?.leave(i.kind === 'hangup' ? 'hangup' : 'updated');
  await emit(session, { type: 'updated', by: i.kind, ...(i.kind === 'redirect' ? { url: i.url } : {}) });
  if (i.kind === 'hangup') return { kind: 'end', reason: 'hung-up-by-api' };
  if (i.kind === 'redirect') return fetchDocument(session, i.url, i.method);
  const parsed = parseTwiml(i.twiml);
  if (parsed.ok) return { kind: 'document', url: '', verbs: parsed.verbs };
  await emit(session, { type: 'error', message: `updated TwiML is invalid: ${parsed.reason}` });
  return { kind: 'end', reason: 'application-error' };
};

/** Runs one verb, or stops it for whatever the Calls API asks meanwhile. */
const runOrInterrupt = async (session: CallSession, verb: Promise<VerbOutcome>): Promise<VerbOutcome> => {
  if (!session.interrupts) return verb;
  verb.catch(() => undefined);
  const raced = await Promise.race([verb.then((o) => ({ o })), session.interrupts.next().then((i) => ({ i }))]);
  return 'o' in raced ? raced.o : applyInterrupt(session, raced.i);
};

/** Follows documents until the call ends; returns how it ended. */
const followDocuments = async (session: CallSession, first: VerbOutcome): Promise<{ reason: CallEndReason; rejectReason?: string }> => {
  let outcome = first;
  let firstDocument = true;
  for (;;) {
    if (outcome.kind === 'end') return outcome;
    if (outcome.kind === 'next') return { reason: 'end-of-document' };
    const { url, verbs } = outcome;
    outcome = { kind: 'next' };
    for (const [i, verb] of verbs.entries()) {
      try {
        outcome = await runOrInterrupt(session, runVerb(session, verb, url === '' ? undefined : url, firstDocument && i === 0));
      } catch (err) {
        await emit(session, { type: 'error', message: `input provider failed: ${err instanceof Error ? err.message : String(err)}` });
        return { reason: 'application-error' };
      }
      if (outcome.kind !== 'next') break;
    }
    firstDocument = false;
  }
};

const finalStatusOf = (session: CallSession, rejectReason: string | undefined): string => {
  if (session.answered) return 'completed';
  return rejectReason === 'busy' ? 'busy' : 'no-answer';
};

/**
 * Plays a call against the gateway the way Twilio would: requests the voice
 * webhook, follows the TwiML it answers (asking `input` whenever the caller
 * must act), and when the call ends posts the `completed` status callback.
 * Never throws for gateway failures: they are error events in the result.
 */
export const placeCall = async (target: WebhookTarget, options: PlaceCallOptions): Promise<CallResult> => {
  const client = options.client ?? createWebhookClient(target);
  const callSid = options.callSid ?? newSid('CA');
  const direction = options.direction ?? 'inbound';
  const now = options.now ?? (() => new Date());
  const baseParams: WebhookParams = {
    AccountSid: target.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    CallStatus: direction === 'inbound' ? 'ringing' : 'in-progress',
    Called: options.to,
    Caller: options.from,
    Direction: direction,
    From: options.from,
    To: options.to,
    ...(options.answeredBy !== undefined ? { AnsweredBy: options.answeredBy } : {}),
    ...options.extraParams,
  };
  const session: CallSession = {
    client,
    input: options.input,
    events: [],
    baseParams,
    elapsedSeconds: 0,
    documentRequests: 0,
    maxRequests: options.maxRequests ?? 200,
    answered: true,
    holdLoopMs: options.holdLoopMs ?? 100,
    maxConferenceSeconds: options.maxConferenceSeconds ?? 4 * 3600,
    ...(options.network ? { network: options.network, interrupts: new CallInterrupts() } : {}),
  };
  const live = options.network ? registerLiveCall(options.network, { callSid, options, direction, accountSid: target.accountSid, now }) : undefined;
  if (live) live.interrupts = session.interrupts;
  const statusEvents = new Set(options.statusCallbackEvents ?? ['completed']);
  const statusUrl = options.statusCallback === undefined ? '/twilio/voice/status' : options.statusCallback;
  let sequence = options.statusSequenceStart ?? 0;
  const postStatus = async (callStatus: string, extra: WebhookParams = {}): Promise<void> => {
    if (statusUrl === null) return;
    const params: WebhookParams = {
      ...baseParams,
      CallStatus: callStatus,
      ...extra,
      Timestamp: toRfc2822(now()),
      SequenceNumber: String(sequence++),
      CallbackSource: 'call-progress-events',
    };
    await client.send(statusUrl, params, { method: options.statusCallbackMethod ?? 'POST' });
  };

  if (statusEvents.has('initiated')) await postStatus('initiated');
  if (statusEvents.has('ringing')) await postStatus('ringing');
  if (statusEvents.has('answered')) await postStatus('in-progress');

  let first: VerbOutcome;
  if (options.twiml !== undefined) {
    const parsed = parseTwiml(options.twiml);
    first = parsed.ok ? { kind: 'document', url: '', verbs: parsed.verbs } : { kind: 'end', reason: 'application-error' };
    if (!parsed.ok) await emit(session, { type: 'error', message: `inline TwiML is invalid: ${parsed.reason}` });
  } else {
    first = await fetchDocument(session, options.url ?? '/twilio/voice', options.method ?? 'POST');
  }
  if (first.kind === 'document') await options.onConnected?.();
  const end = await followDocuments(session, first);
  await emit(session, { type: 'end', reason: end.reason, ...(end.rejectReason !== undefined ? { rejectReason: end.rejectReason } : {}) });

  const finalStatus = finalStatusOf(session, end.rejectReason);
  const duration = session.answered ? session.elapsedSeconds : 0;
  if (live) {
    delete live.interrupts;
    Object.assign(live.record, { status: finalStatus, duration, endTime: now(), dateUpdated: now() });
  }
  if (statusEvents.has('completed')) {
    await postStatus(finalStatus, { CallDuration: String(duration), Duration: String(Math.ceil(duration / 60)) });
  }
  return {
    callSid,
    events: session.events,
    transcript: client.transcript,
    endReason: end.reason,
    finalStatus,
    durationSeconds: duration,
    said: session.events.flatMap((e) => (e.type === 'say' ? [e.text] : [])),
    errors: session.events.flatMap((e) => (e.type === 'error' ? [e.message] : [])),
    client,
  };
};
