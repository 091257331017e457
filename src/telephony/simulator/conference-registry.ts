import { toRfc2822 } from './rfc2822.js';
import { newSid } from './sids.js';
import type { WebhookExchange, WebhookParams } from './webhook-client.js';

/** Why a participant left: hung up, moved by the REST API, or dropped when the conference ended. */
export type LeaveReason = 'hangup' | 'updated' | 'conference-ended';

/** Events a `<Conference statusCallbackEvent>` names (space-separated), as Twilio spells them there. */
export type ConferenceEventName = 'start' | 'end' | 'join' | 'leave';

/** What a call brings into a conference: the attributes of its `<Conference>` noun. */
export type JoinRequest = {
  callSid: string;
  label?: string;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  statusCallback?: string;
  statusCallbackMethod?: 'GET' | 'POST';
  /** Default when a statusCallback is set without events: start and end. */
  statusCallbackEvents?: ConferenceEventName[];
};

/** One call in a conference. `left` settles when it is out (whoever decided). */
export type Participant = {
  readonly callSid: string;
  readonly conference: Conference;
  readonly left: Promise<LeaveReason>;
  /** Leaves (posting participant-leave, and conference-end when it ends the conference); once. */
  leave: (reason: LeaveReason) => Promise<void>;
};

/** A conference room: `init` until someone with startConferenceOnEnter joins, then `in-progress`, then `completed`. */
export type Conference = {
  readonly sid: string;
  readonly friendlyName: string;
  status: 'init' | 'in-progress' | 'completed';
  readonly participants: Map<string, Participant>;
  /** Resolves on the next change (start, a join, a leave, the end): waiters re-check the state. */
  changed: () => Promise<void>;
};

/** Posts one conference status callback (signed, as every Twilio webhook). */
export type ConferenceCallbackSender = (url: string, params: WebhookParams, method: 'GET' | 'POST') => Promise<WebhookExchange>;

/** Every conference of one carrier, by friendly name (a name is reused once its conference completed). */
export type ConferenceRegistry = {
  join: (friendlyName: string, request: JoinRequest) => Promise<Participant>;
  /** The live conference with this name, if any. */
  get: (friendlyName: string) => Conference | undefined;
  /** Where this call is a participant now, if anywhere. */
  participantOf: (callSid: string) => Participant | undefined;
  /** Every conference ever created, oldest first (completed ones included). */
  readonly all: Conference[];
};

const EVENT_OF: Record<string, ConferenceEventName> = {
  'conference-start': 'start', 'conference-end': 'end', 'participant-join': 'join', 'participant-leave': 'leave',
};

// The values Twilio documents for participant-leave (ReasonParticipantLeft) and conference-end (ReasonConferenceEnded).
const PARTICIPANT_LEFT: Record<LeaveReason, string> = {
  hangup: 'participant_hung_up',
  updated: 'participant_updated_via_api',
  'conference-ended': 'conference_ended_via_participant_with_end_conference_on_exit',
};

type Member = Participant & { request: JoinRequest; settle: (r: LeaveReason) => void; gone: boolean };

/**
 * The simulator's conferences (hand-written: no library plays Twilio conferences). A conference
 * starts when a participant with startConferenceOnEnter joins, and ends when one with
 * endConferenceOnExit leaves (every other participant is dropped) or the last one leaves. Status
 * callbacks go to the first participant's statusCallback that set one, for the events it asked
 * for, in order, with a SequenceNumber per conference.
 */
export const createConferenceRegistry = (o: { accountSid: string; send: ConferenceCallbackSender; now?: () => Date }): ConferenceRegistry => {
  const now = o.now ?? (() => new Date());
  const live = new Map<string, Conference>();
  const all: Conference[] = [];

  const open = (friendlyName: string) => {
    let waiters: (() => void)[] = [];
    let sequence = 0;
    let callback: { url: string; method: 'GET' | 'POST'; events: Set<ConferenceEventName> } | undefined;
    // why: callbacks of one conference are delivered one after the other, in the order they happened.
    let chain: Promise<unknown> = Promise.resolve();
    const conference: Conference & { notify: () => void; post: (event: string, extra: WebhookParams) => Promise<void>; listen: (r: JoinRequest) => void } = {
      sid: newSid('CF'),
      friendlyName,
      status: 'init',
      participants: new Map(),
      changed: () => new Promise<void>((resolve) => waiters.push(resolve)),
      notify: () => {
        const wake = waiters;
        waiters = [];
        for (const w of wake) w();
      },
      listen: (r) => {
        if (callback || !r.statusCallback) return;
        callback = { url: r.statusCallback, method: r.statusCallbackMethod ?? 'POST', events: new Set(r.statusCallbackEvents ?? ['start', 'end']) };
      },
      post: (event, extra) => {
        const target = callback;
        if (!target || !target.events.has(EVENT_OF[event]!)) return Promise.resolve();
        sequence += 1;
        const params: WebhookParams = {
          AccountSid: o.accountSid, ConferenceSid: conference.sid, FriendlyName: friendlyName, StatusCallbackEvent: event,
          SequenceNumber: String(sequence), Timestamp: toRfc2822(now()), ...extra,
        };
        const sent = chain.then(() => o.send(target.url, params, target.method));
        chain = sent.catch(() => undefined);
        return sent.then(() => undefined);
      },
    };
    live.set(friendlyName, conference);
    all.push(conference);
    return conference;
  };

  const participantParams = (m: Member): WebhookParams => ({
    CallSid: m.callSid,
    ...(m.request.label !== undefined ? { ParticipantLabel: m.request.label } : {}),
    Muted: 'false', Hold: 'false', Coaching: 'false',
    StartConferenceOnEnter: String(m.request.startConferenceOnEnter), EndConferenceOnExit: String(m.request.endConferenceOnExit),
  });

  const join: ConferenceRegistry['join'] = async (friendlyName, request) => {
    const conference = (live.get(friendlyName) ?? open(friendlyName)) as ReturnType<typeof open>;
    conference.listen(request);
    let settle!: (r: LeaveReason) => void;
    const left = new Promise<LeaveReason>((resolve) => (settle = resolve));
    const member: Member = {
      callSid: request.callSid, conference, left, request, settle, gone: false,
      leave: async (reason) => {
        if (member.gone) return;
        await depart(conference, member, reason);
      },
    };
    conference.participants.set(request.callSid, member);
    const posted = [conference.post('participant-join', participantParams(member))];
    if (request.startConferenceOnEnter && conference.status === 'init') {
      conference.status = 'in-progress';
      posted.push(conference.post('conference-start', {}));
    }
    conference.notify();
    await Promise.all(posted);
    return member;
  };

  const depart = async (conference: ReturnType<typeof open>, member: Member, reason: LeaveReason, callStatus?: string): Promise<void> => {
    member.gone = true;
    conference.participants.delete(member.callSid);
    member.settle(reason);
    const posted = [conference.post('participant-leave', {
      ...participantParams(member),
      ParticipantCallStatus: callStatus ?? (reason === 'hangup' ? 'completed' : 'in-progress'),
      ReasonParticipantLeft: PARTICIPANT_LEFT[reason],
    })];
    const ends = conference.status !== 'completed' && (member.request.endConferenceOnExit || conference.participants.size === 0);
    if (ends) {
      conference.status = 'completed';
      live.delete(conference.friendlyName);
      for (const other of [...conference.participants.values()] as Member[]) {
        if (!other.gone) posted.push(depart(conference, other, 'conference-ended', 'in-progress'));
      }
      posted.push(conference.post('conference-end', {
        ReasonConferenceEnded: member.request.endConferenceOnExit ? 'participant-with-end-conference-on-exit-left' : 'last-participant-left',
        CallSidEndingConference: member.callSid,
      }));
    }
    conference.notify();
    await Promise.all(posted);
  };

  const participantOf = (callSid: string) => {
    for (const c of live.values()) {
      const p = c.participants.get(callSid);
      if (p) return p;
    }
    return undefined;
  };

  return { join, get: (name) => live.get(name), participantOf, all };
};
