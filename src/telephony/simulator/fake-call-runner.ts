import { amdRequestOf, postAmdResult, verdictFor } from './answering-machine.js';
import { placeCall, type CallResult, type StatusCallbackEvent } from './call-player.js';
import type { FakeCall, FormParams } from './fake-rest-resources.js';
import type { InputProvider } from './input-provider.js';
import { silentCaller } from './scripted-input.js';
import { toRfc2822 } from './rfc2822.js';
import { createWebhookClient, type WebhookParams } from './webhook-client.js';
import type { CarrierNetwork, LiveCall } from './carrier-network.js';
import type { WebhookTarget } from './webhook-target.js';

/** How the callee of a REST-created call answers. */
export type CallAnswer = {
  /** Default `answered`; any other value ends the call unanswered with that status. */
  status?: 'answered' | 'busy' | 'no-answer' | 'failed';
  /**
   * `AnsweredBy` to report (answering machine detection), e.g. `human` or `machine_end_beep`. A call
   * created with `MachineDetection` reports `human` when this is absent: with `AsyncAmd=true` to its
   * `AsyncAmdStatusCallback` once its TwiML has started, otherwise on its first webhook. A machine is
   * reported as the mode asked would (`machine_start` with `Enable`, `machine_end_*` with `DetectMessageEnd`).
   */
  answeredBy?: string;
  /** `MachineDetectionDuration` reported with an asynchronous AMD result, in milliseconds (default 2500). */
  machineDetectionMs?: number;
  /** The callee's behaviour once answered (default: silent, hangs up only at the end). */
  input?: InputProvider;
  /**
   * Simulated seconds the phone rings before it is picked up (default 0). Longer than the call's
   * `Timeout` (default 60, as Twilio's), the call ends `no-answer` without being answered.
   */
  ringSeconds?: number;
};

/**
 * Chosen by the test for each created call. A promise keeps the call ringing (really) until it
 * settles, as a person taking their time: meanwhile the Calls API can cancel it, and past `Timeout`
 * real seconds it ends `no-answer`.
 */
export type CallAnswerHook = (call: FakeCall) => CallAnswer | Promise<CallAnswer>;

const STATUS_EVENTS = new Set<StatusCallbackEvent>(['initiated', 'ringing', 'answered', 'completed']);

/** Reads `StatusCallbackEvent` as the SDK sends it (repeated keys or one space-separated value). */
const statusEventsOf = (p: FormParams): StatusCallbackEvent[] => {
  const events = p.all('StatusCallbackEvent').flatMap((v) => v.split(/[\s,]+/)).filter((v): v is StatusCallbackEvent => STATUS_EVENTS.has(v as StatusCallbackEvent));
  return events.length > 0 ? events : ['completed'];
};

const methodOf = (v: string | undefined): 'GET' | 'POST' => (v?.toUpperCase() === 'GET' ? 'GET' : 'POST');

/** Twilio's ring timeout: `Timeout` seconds, 60 when absent or unreadable. */
const timeoutOf = (p: FormParams): number => {
  const t = Number(p.get('Timeout'));
  return Number.isFinite(t) && t > 0 ? t : 60;
};

type Ringing = { answer: CallAnswer } | { ended: 'canceled' | 'no-answer' };

/** Waits for the callee to pick up, the Calls API to cancel, or the timeout, whichever comes first. */
const ring = async (hook: CallAnswerHook, call: FakeCall, live: LiveCall | undefined, timeoutSeconds: number): Promise<Ringing> => {
  const answered = hook(call);
  if (!(answered instanceof Promise)) return { answer: answered };
  let timer: NodeJS.Timeout | undefined;
  const outcomes: Promise<Ringing>[] = [
    answered.then((answer) => ({ answer })),
    new Promise((resolve) => (timer = setTimeout(() => resolve({ ended: 'no-answer' }), timeoutSeconds * 1000))),
  ];
  if (live) outcomes.push(new Promise((resolve) => (live.cancel = () => resolve({ ended: 'canceled' }))));
  try {
    return await Promise.race(outcomes);
  } finally {
    clearTimeout(timer);
    if (live) delete live.cancel;
  }
};

/**
 * Plays a call created through the fake REST API: it rings (initiated and ringing callbacks when
 * asked for), then an unanswered call only reports its final status; an answered one runs the call
 * player against `Url` (or inline `Twiml`) as an `outbound-api` call. Updates `call` as it goes.
 */
export const playFakeCall = async (args: {
  call: FakeCall;
  params: FormParams;
  target: WebhookTarget;
  hook: CallAnswerHook;
  now: () => Date;
  /** The carrier's calls and conferences (the call is listed there already). */
  network?: CarrierNetwork;
}): Promise<CallResult> => {
  const { call, params, target, now, network } = args;
  const live = network?.calls.get(call.sid);
  const statusCallbackMethod = methodOf(params.get('StatusCallbackMethod'));
  const client = createWebhookClient(target);
  const events = statusEventsOf(params);
  let sequence = 0;
  const postStatus = async (status: string, extra: WebhookParams = {}): Promise<void> => {
    if (call.statusCallback === null) return;
    await client.send(
      call.statusCallback,
      {
        AccountSid: call.accountSid, ApiVersion: '2010-04-01', CallSid: call.sid, CallStatus: status, Called: call.to, Caller: call.from,
        Direction: 'outbound-api', From: call.from, To: call.to, ...extra,
        Timestamp: toRfc2822(now()), SequenceNumber: String(sequence++), CallbackSource: 'call-progress-events',
      },
      { method: statusCallbackMethod },
    );
  };

  if (events.includes('initiated')) await postStatus('initiated');
  // why: a call canceled while still queued never rings.
  const queued = call.status === 'queued';
  if (queued) Object.assign(call, { status: 'ringing', dateUpdated: now() });
  const rung: Ringing = queued ? await ring(args.hook, call, live, timeoutOf(params)) : { ended: 'canceled' };
  const answer = 'answer' in rung ? rung.answer : {};
  let status: string = 'ended' in rung ? rung.ended : (answer.status ?? 'answered');
  if (status === 'answered' && (answer.ringSeconds ?? 0) > timeoutOf(params)) status = 'no-answer';
  if (events.includes('ringing') && status !== 'busy' && status !== 'failed') await postStatus('ringing');
  const amd = amdRequestOf(params);
  const described = answer.answeredBy ?? (amd.mode !== null ? 'human' : undefined);
  const answeredBy = described === undefined ? undefined : verdictFor(amd.mode, described);
  call.answeredBy = answeredBy ?? null;

  if (status !== 'answered' || call.status !== 'ringing') {
    // why: a cancel that arrived while the hook was answering wins over the answer.
    if (call.status !== 'ringing') status = call.status;
    call.status = status;
    call.duration = 0;
    call.endTime = call.dateUpdated = now();
    await postStatus(status, { CallDuration: '0' });
    return {
      callSid: call.sid,
      events: [{ type: 'end', reason: 'not-answered' }],
      transcript: client.transcript,
      endReason: 'not-answered',
      finalStatus: status,
      durationSeconds: 0,
      said: [],
      errors: [],
      client,
    };
  }

  call.status = 'in-progress';
  call.startTime = call.dateUpdated = now();
  const result = await placeCall(target, {
    from: call.from,
    to: call.to,
    callSid: call.sid,
    input: answer.input ?? silentCaller(),
    direction: 'outbound-api',
    // why: with asynchronous AMD the call's webhooks carry no AnsweredBy; the result comes on its own callback.
    ...(answeredBy !== undefined && !(amd.mode !== null && amd.async) ? { answeredBy } : {}),
    ...(amd.mode !== null && amd.async && answeredBy !== undefined
      ? { onConnected: async () => void (await postAmdResult(client, call, amd, { answeredBy, durationMs: answer.machineDetectionMs ?? 2500 })) }
      : {}),
    ...(call.twiml !== null ? { twiml: call.twiml } : { url: call.url ?? '' }),
    method: methodOf(params.get('Method')),
    statusCallback: call.statusCallback,
    statusCallbackMethod,
    statusCallbackEvents: events.filter((e) => e !== 'initiated' && e !== 'ringing'),
    statusSequenceStart: sequence,
    now,
    client,
    ...(network ? { network } : {}),
  });
  call.status = result.finalStatus;
  call.duration = result.durationSeconds;
  call.endTime = call.dateUpdated = now();
  return result;
};
