import { emit, fetchDocument, methodOf, notify, resolveUrl, type CallSession, type VerbOutcome } from './call-session.js';
import type { ConferenceEventName, LeaveReason } from './conference-registry.js';
import type { ConferenceOutcome } from './input-provider.js';
import { playMedia } from './media-verbs.js';
import { parseTwiml, type TwimlNode } from './twiml-document.js';

const EVENT_NAMES = new Set<ConferenceEventName>(['start', 'end', 'join', 'leave']);
/** Simulated seconds an idle turn of the wait counts when no hold music says otherwise. */
const IDLE_SECONDS = 10;
/** Redirects followed within one play of the hold music before it starts over. */
const MAX_HOLD_REDIRECTS = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/**
 * Plays the conference's waitUrl once (Say, Play, Pause; a Redirect is followed), as Twilio does
 * while a conference has not started. A failing hold URL is silence, not an ended call; it does
 * not count toward the call's loop guard (a hold may be long).
 */
const playHoldMusic = async (session: CallSession, url: string, method: 'GET' | 'POST'): Promise<void> => {
  let next: string | undefined = url;
  for (let hops = 0; next !== undefined && hops <= MAX_HOLD_REDIRECTS; hops += 1) {
    const exchange = await session.client.send(next, { ...session.baseParams, CallStatus: 'in-progress' }, { method });
    const parsed = parseTwiml(exchange.body ?? '');
    const from: string = next;
    next = undefined;
    if (!parsed.ok) return;
    for (const verb of parsed.verbs) {
      if (await playMedia(session, verb)) continue;
      if (verb.name === 'Redirect') next = resolveUrl(verb.text, from);
      break;
    }
  }
};

const eventsOf = (value: string | undefined): ConferenceEventName[] | undefined => {
  if (value === undefined) return undefined;
  return value.split(/[\s,]+/).filter((v): v is ConferenceEventName => EVENT_NAMES.has(v as ConferenceEventName));
};

/**
 * `<Dial><Conference>` on a carrier that plays conferences: the call joins the named conference and
 * hears the waitUrl until it starts; the input decides (once, on joining) whether the caller hangs
 * up, talks a while then hangs up, or stays until the conference drops them. When the conference
 * lets the call go, the Dial action is requested (DialCallStatus `answered`; Twilio sends no
 * DialCallSid or DialCallDuration for a conference) and the call goes on with its answer; a caller
 * hanging up only notifies the action. Moved or hung up by the Calls API, the call leaves silently
 * (call-player.ts takes it out of its conference).
 */
export const runConference = async (session: CallSession, dial: TwimlNode, noun: TwimlNode, documentUrl: string | undefined): Promise<VerbOutcome> => {
  const a = noun.attrs;
  const statusCallback = a.statusCallback !== undefined ? resolveUrl(a.statusCallback, documentUrl) : undefined;
  const statusCallbackEvents = eventsOf(a.statusCallbackEvent);
  const participant = await session.network!.conferences.join(noun.text, {
    callSid: session.baseParams.CallSid ?? '',
    ...(a.participantLabel !== undefined ? { label: a.participantLabel } : {}),
    startConferenceOnEnter: a.startConferenceOnEnter !== 'false',
    endConferenceOnExit: a.endConferenceOnExit === 'true',
    ...(statusCallback !== undefined ? { statusCallback, statusCallbackMethod: methodOf(noun, 'statusCallbackMethod') } : {}),
    ...(statusCallbackEvents !== undefined ? { statusCallbackEvents } : {}),
  });
  const { conference } = participant;
  let leftFor: LeaveReason | undefined;
  void participant.left.then((r) => (leftFor = r));
  await emit(session, { type: 'conference', name: noun.text, event: 'joined' });

  let decided: ConferenceOutcome | undefined;
  const decision = session.input.conference
    ? session.input.conference({
        name: noun.text, conferenceSid: conference.sid, ...(a.participantLabel !== undefined ? { label: a.participantLabel } : {}),
        started: () => conference.status === 'in-progress',
      }).then((d) => void (decided = d))
    : new Promise<void>(() => undefined);
  const waitUrl = a.waitUrl !== undefined && a.waitUrl !== '' ? resolveUrl(a.waitUrl, documentUrl) : undefined;
  const action = dial.attrs.action !== undefined ? resolveUrl(dial.attrs.action, documentUrl) : undefined;
  let startedAt: number | undefined;
  let waited = 0;

  const hangUp = async (): Promise<VerbOutcome> => {
    await participant.leave('hangup');
    await emit(session, { type: 'conference', name: noun.text, event: 'left', reason: 'hangup' });
    await notify(session, action, methodOf(dial), { DialCallStatus: 'completed', DialBridged: String(startedAt !== undefined) });
    return { kind: 'end', reason: 'caller-hangup' };
  };

  for (;;) {
    await Promise.resolve();
    // Left for a reason of its own making elsewhere (the Calls API moved or hung up the call): nothing more here.
    if (leftFor === 'updated' || leftFor === 'hangup') return { kind: 'next' };
    if (leftFor !== undefined) break;
    if (startedAt === undefined && conference.status === 'in-progress') {
      startedAt = session.elapsedSeconds;
      await emit(session, { type: 'conference', name: noun.text, event: 'started' });
    }
    if (decided === 'hangup') return hangUp();
    if (typeof decided === 'object' && startedAt !== undefined) {
      session.elapsedSeconds = Math.max(session.elapsedSeconds, startedAt + decided.hangUpAfterSeconds);
      return hangUp();
    }
    if (waited >= session.maxConferenceSeconds) return hangUp();
    const before = session.elapsedSeconds;
    if (startedAt === undefined && waitUrl !== undefined) await playHoldMusic(session, waitUrl, methodOf(noun, 'waitMethod'));
    if (session.elapsedSeconds === before) session.elapsedSeconds += IDLE_SECONDS;
    waited += session.elapsedSeconds - before;
    if (leftFor === undefined && conference.participants.has(participant.callSid)) {
      // why: once decided, the settled decision must not wake the wait again (that would spin).
      await Promise.race([conference.changed(), sleep(session.holdLoopMs), ...(decided === undefined ? [decision] : [])]);
    }
  }
  await emit(session, { type: 'conference', name: noun.text, event: 'left', reason: leftFor });
  if (action === undefined) return { kind: 'next' };
  return fetchDocument(session, action, methodOf(dial), { DialCallStatus: 'answered', DialBridged: String(startedAt !== undefined) });
};
