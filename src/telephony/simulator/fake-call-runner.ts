import { placeCall, type CallResult, type StatusCallbackEvent } from './call-player.js';
import type { FakeCall, FormParams } from './fake-rest-resources.js';
import type { InputProvider } from './input-provider.js';
import { silentCaller } from './scripted-input.js';
import { toRfc2822 } from './rfc2822.js';
import { createWebhookClient } from './webhook-client.js';
import type { WebhookTarget } from './webhook-target.js';

/** How the callee of a REST-created call answers. */
export type CallAnswer = {
  /** Default `answered`; any other value ends the call unanswered with that status. */
  status?: 'answered' | 'busy' | 'no-answer' | 'failed';
  /** `AnsweredBy` to report (answering machine detection), e.g. `human` or `machine_start`. */
  answeredBy?: string;
  /** The callee's behaviour once answered (default: silent, hangs up only at the end). */
  input?: InputProvider;
};

/** Chosen by the test for each created call. */
export type CallAnswerHook = (call: FakeCall) => CallAnswer;

const STATUS_EVENTS = new Set<StatusCallbackEvent>(['initiated', 'ringing', 'answered', 'completed']);

/** Reads `StatusCallbackEvent` as the SDK sends it (repeated keys or one space-separated value). */
const statusEventsOf = (p: FormParams): StatusCallbackEvent[] => {
  const events = p.all('StatusCallbackEvent').flatMap((v) => v.split(/[\s,]+/)).filter((v): v is StatusCallbackEvent => STATUS_EVENTS.has(v as StatusCallbackEvent));
  return events.length > 0 ? events : ['completed'];
};

const methodOf = (v: string | undefined): 'GET' | 'POST' => (v?.toUpperCase() === 'GET' ? 'GET' : 'POST');

/**
 * Plays a call created through the fake REST API: an unanswered call only
 * reports its final status; an answered one runs the call player against
 * `Url` (or inline `Twiml`) as an `outbound-api` call. Updates `call` as it goes.
 */
export const playFakeCall = async (args: {
  call: FakeCall;
  params: FormParams;
  target: WebhookTarget;
  hook: CallAnswerHook;
  now: () => Date;
}): Promise<CallResult> => {
  const { call, params, target, now } = args;
  const answer = args.hook(call);
  const status = answer.status ?? 'answered';
  const statusCallbackMethod = methodOf(params.get('StatusCallbackMethod'));
  const client = createWebhookClient(target);
  call.answeredBy = answer.answeredBy ?? null;

  if (status !== 'answered') {
    call.status = status;
    call.duration = 0;
    call.endTime = call.dateUpdated = now();
    if (call.statusCallback !== null) {
      await client.send(
        call.statusCallback,
        {
          AccountSid: call.accountSid,
          ApiVersion: '2010-04-01',
          CallSid: call.sid,
          CallStatus: status,
          Called: call.to,
          Caller: call.from,
          Direction: 'outbound-api',
          From: call.from,
          To: call.to,
          CallDuration: '0',
          Timestamp: toRfc2822(now()),
          SequenceNumber: '0',
          CallbackSource: 'call-progress-events',
        },
        { method: statusCallbackMethod },
      );
    }
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
    ...(answer.answeredBy !== undefined ? { answeredBy: answer.answeredBy } : {}),
    ...(call.twiml !== null ? { twiml: call.twiml } : { url: call.url ?? '' }),
    method: methodOf(params.get('Method')),
    statusCallback: call.statusCallback,
    statusCallbackMethod,
    statusCallbackEvents: statusEventsOf(params),
    now,
    client,
  });
  call.status = result.finalStatus;
  call.duration = result.durationSeconds;
  call.endTime = call.dateUpdated = now();
  return result;
};
