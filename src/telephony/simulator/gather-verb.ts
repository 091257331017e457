import { emit, fetchDocument, methodOf, resolveUrl, type CallSession, type VerbOutcome } from './call-session.js';
import type { GatherInput, GatherRequest } from './input-provider.js';
import { playMedia } from './media-verbs.js';
import { boolAttr, numAttr, type TwimlNode } from './twiml-document.js';
import type { WebhookParams } from './webhook-client.js';

/** Applies `finishOnKey` and `numDigits` to keys pressed, as Twilio does (the finish key is not sent). */
export const collectDigits = (pressed: string, finishOnKey: string, numDigits: number | undefined): string => {
  let digits = pressed;
  if (finishOnKey !== '') {
    const at = digits.indexOf(finishOnKey);
    if (at >= 0) digits = digits.slice(0, at);
  }
  if (numDigits !== undefined && digits.length > numDigits) digits = digits.slice(0, numDigits);
  return digits;
};

const requestOf = (node: TwimlNode): GatherRequest => {
  const numDigits = node.attrs.numDigits !== undefined ? numAttr(node, 'numDigits', 1) : undefined;
  return {
    input: (node.attrs.input ?? 'dtmf').split(/\s+/).filter(Boolean),
    finishOnKey: node.attrs.finishOnKey ?? '#',
    timeout: numAttr(node, 'timeout', 5),
    ...(numDigits !== undefined ? { numDigits } : {}),
    ...(node.attrs.language !== undefined ? { language: node.attrs.language } : {}),
    ...(node.attrs.hints !== undefined ? { hints: node.attrs.hints } : {}),
  };
};

/** The parameters a gather result adds to the action request, or undefined when nothing usable was captured. */
const resultParams = (input: Exclude<GatherInput, 'hangup'>, request: GatherRequest): WebhookParams | undefined => {
  if ('digits' in input && request.input.includes('dtmf')) {
    const digits = collectDigits(input.digits, request.finishOnKey, request.numDigits);
    return digits === '' ? undefined : { Digits: digits };
  }
  if ('speech' in input && request.input.includes('speech') && input.speech.trim() !== '') {
    return { SpeechResult: input.speech, Confidence: String(input.confidence ?? 0.9) };
  }
  return undefined;
};

/**
 * Runs a `<Gather>`: plays its nested `<Say>`/`<Play>`/`<Pause>`, asks the
 * caller for input, then requests `action` (default: the current document)
 * with `Digits` or `SpeechResult`+`Confidence`. Without input the call falls
 * through to the next verb, unless `actionOnEmptyResult="true"`.
 */
export const runGather = async (session: CallSession, node: TwimlNode, documentUrl: string | undefined): Promise<VerbOutcome> => {
  for (const child of node.children) await playMedia(session, child);
  const request = requestOf(node);
  const action = resolveUrl(node.attrs.action, documentUrl);
  const input = await session.input.gather(request);
  await emit(session, { type: 'gather', action: action ?? '', input });
  if (input === 'hangup') return { kind: 'end', reason: 'caller-hangup' };
  const params = resultParams(input, request);
  if (params !== undefined) {
    session.elapsedSeconds += 3;
    return fetchDocument(session, action, methodOf(node), params);
  }
  session.elapsedSeconds += request.timeout;
  if (boolAttr(node, 'actionOnEmptyResult', false)) return fetchDocument(session, action, methodOf(node));
  return { kind: 'next' };
};
