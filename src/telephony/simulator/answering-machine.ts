import type { FakeCall, FormParams } from './fake-rest-resources.js';
import type { WebhookClient, WebhookExchange } from './webhook-client.js';

/** What a Calls create asked of answering machine detection (AMD). */
export type AmdRequest = {
  /** `Enable` (answer as soon as it knows) or `DetectMessageEnd` (wait for the greeting's end); null: no AMD. */
  mode: 'Enable' | 'DetectMessageEnd' | null;
  /** `AsyncAmd=true`: the TwiML runs at once and the result is posted to `callback` later. */
  async: boolean;
  /** `AsyncAmdStatusCallback`, absent when not given (Twilio then warns 21262 and posts nothing). */
  callback: string | null;
  method: 'GET' | 'POST';
};

/** The AMD parameters of a Calls create request, read as Twilio reads them. */
export const amdRequestOf = (p: FormParams): AmdRequest => {
  const mode = p.get('MachineDetection');
  return {
    mode: mode === 'Enable' || mode === 'DetectMessageEnd' ? mode : null,
    async: p.get('AsyncAmd')?.toLowerCase() === 'true',
    callback: p.get('AsyncAmdStatusCallback') ?? null,
    method: p.get('AsyncAmdStatusCallbackMethod')?.toUpperCase() === 'GET' ? 'GET' : 'POST',
  };
};

/** The AnsweredBy values Twilio reports (the `machine_end_*` ones only with `DetectMessageEnd`). */
export const ANSWERED_BY = ['human', 'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax', 'unknown'] as const;

/**
 * The verdict Twilio would report for a callee a test describes, in the mode asked for: `Enable`
 * answers as soon as it hears a machine (`machine_start`); `DetectMessageEnd` waits for the greeting's
 * end (`machine_end_*`, `machine_end_other` when the test only said `machine_start`).
 */
export const verdictFor = (mode: AmdRequest['mode'], answeredBy: string): string => {
  if (mode === 'Enable' && answeredBy.startsWith('machine_end_')) return 'machine_start';
  if (mode === 'DetectMessageEnd' && answeredBy === 'machine_start') return 'machine_end_other';
  return answeredBy;
};

/**
 * Posts the asynchronous AMD result of an answered call, signed like every callback: AccountSid,
 * CallSid, AnsweredBy and MachineDetectionDuration (milliseconds), the parameters Twilio sends.
 */
export const postAmdResult = (
  client: WebhookClient,
  call: Pick<FakeCall, 'sid' | 'accountSid'>,
  amd: AmdRequest,
  result: { answeredBy: string; durationMs: number },
): Promise<WebhookExchange | undefined> => {
  if (!amd.callback) return Promise.resolve(undefined);
  return client.send(
    amd.callback,
    { AccountSid: call.accountSid, CallSid: call.sid, AnsweredBy: result.answeredBy, MachineDetectionDuration: String(result.durationMs) },
    { method: amd.method },
  );
};
