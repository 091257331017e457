import { randomBytes } from 'node:crypto';
import type { CallEvent } from './call-events.js';
import type { CallAnswer } from './fake-call-runner.js';
import type { ConferenceOutcome, InputProvider } from './input-provider.js';

/** What a remote phone is asked (a verb waiting for its person), by the InputProvider method it stands for. */
export type PhonePromptKind = 'gather' | 'pay' | 'dial' | 'enqueue' | 'conference';

/** What a softphone reads from the carrier about its calls, in order (`seq` from 1). */
export type PhoneEvent =
  | { seq: number; type: 'ringing'; callSid: string; from: string; to: string }
  | { seq: number; type: 'event'; callSid: string; event: CallEvent }
  | { seq: number; type: 'prompt'; callSid: string; promptId: string; kind: PhonePromptKind; request: unknown }
  | { seq: number; type: 'ended'; callSid: string; status: string; reason: string };

/** A page of a phone's events after a cursor. `gone`: the phone was unregistered. */
export type PhonePage = { cursor: number; events: PhoneEvent[]; gone: boolean };

type Draft = PhoneEvent extends infer E ? (E extends PhoneEvent ? Omit<E, 'seq'> : never) : never;

/** A softphone registered with the carrier for a number, reached over HTTP (long-polled events, posted answers). */
export type RemotePhone = {
  readonly id: string;
  readonly number: string;
  /** Events after `after`, waiting up to `waitMs` for one (or until `signal` aborts, or the phone goes). */
  wait: (after: number, waitMs: number, signal?: AbortSignal) => Promise<PhonePage>;
  /** Answers a prompt (or the ringing, promptId `ring`); false when nothing waits for that id. */
  answer: (promptId: string, value: unknown) => boolean;
  /** The person hangs up: whatever waits for them gets `hangup`, and so does every later question. */
  hangUp: () => void;
  /** Rings the phone for a call the carrier places to its number; resolves when picked up or declined. */
  ring: (call: { sid: string; from: string; to: string }, o?: { pauseMsPerSecond?: number }) => Promise<CallAnswer>;
  /** The person at this phone, for a call the carrier plays (`pauseMsPerSecond`: real pacing of `<Pause>`). */
  input: (callSid: string, o?: { pauseMsPerSecond?: number }) => InputProvider;
  ended: (callSid: string, status: string, reason: string) => void;
  readonly gone: boolean;
};

const HUNG_UP: Record<PhonePromptKind, unknown> = { gather: 'hangup', pay: 'hangup', dial: 'hangup', enqueue: 'hangup', conference: 'hangup' };

/**
 * A phone whose person is elsewhere (the terminal softphone, another process): everything the call
 * player would ask an InputProvider becomes a prompt event, answered by a POST; what is heard
 * becomes events. Hand-written: it is the simulator's own wire protocol.
 */
export const createRemotePhone = (number: string): RemotePhone => {
  const id = 'PH' + randomBytes(8).toString('hex');
  const events: PhoneEvent[] = [];
  let waiters: (() => void)[] = [];
  const pending = new Map<string, { kind: PhonePromptKind | 'ring'; resolve: (v: unknown) => void }>();
  let hungUp = false;
  let gone = false;
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const push = (e: Draft) => {
    events.push({ ...e, seq: events.length + 1 } as PhoneEvent);
    wake();
  };
  const ask = <T>(callSid: string, kind: PhonePromptKind, request: unknown): Promise<T> => {
    if (hungUp) return Promise.resolve(HUNG_UP[kind] as T);
    const promptId = randomBytes(6).toString('hex');
    return new Promise<T>((resolve) => {
      pending.set(promptId, { kind, resolve: resolve as (v: unknown) => void });
      push({ type: 'prompt', callSid, promptId, kind, request });
    });
  };

  const phone: RemotePhone = {
    id,
    number,
    get gone() {
      return gone;
    },
    wait: (after, waitMs, signal) => {
      const page = (): PhonePage => ({ cursor: events.length, events: events.slice(after), gone });
      if (events.length > after || waitMs <= 0 || gone || signal?.aborted) return Promise.resolve(page());
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve(page());
        };
        const timer = setTimeout(done, waitMs);
        signal?.addEventListener('abort', done);
        waiters.push(done);
      });
    },
    answer: (promptId, value) => {
      const p = pending.get(promptId);
      if (!p) return false;
      pending.delete(promptId);
      p.resolve(value);
      return true;
    },
    hangUp: () => {
      hungUp = true;
      gone = true;
      for (const [key, p] of pending) {
        pending.delete(key);
        p.resolve(p.kind === 'ring' ? 'decline' : HUNG_UP[p.kind]);
      }
      wake();
    },
    ring: async (call, o) => {
      if (hungUp) return { status: 'busy' };
      const picked = await new Promise<unknown>((resolve) => {
        pending.set('ring', { kind: 'ring', resolve });
        push({ type: 'ringing', callSid: call.sid, from: call.from, to: call.to });
      });
      return picked === 'answer' ? { input: phone.input(call.sid, o) } : { status: 'busy' };
    },
    input: (callSid, o = {}) => ({
      hear: async (event) => {
        push({ type: 'event', callSid, event });
        // why: the person is elsewhere, so the carrier keeps a <Pause>'s pace itself (a flow polling a job between pauses needs it).
        if (event.type === 'pause' && o.pauseMsPerSecond) await new Promise((r) => setTimeout(r, event.length * o.pauseMsPerSecond!));
      },
      gather: (r) => ask(callSid, 'gather', r),
      pay: (r) => ask(callSid, 'pay', r),
      dial: (r) => ask(callSid, 'dial', r),
      enqueue: (q) => ask(callSid, 'enqueue', { queue: q }),
      // A person who chose to stay in a conference is there until they hang up (or it ends without them).
      conference: async (r) => {
        const choice = await ask<unknown>(callSid, 'conference', r);
        if (choice !== 'stay') return choice as ConferenceOutcome;
        return new Promise((resolve) => pending.set(`stay-${callSid}`, { kind: 'conference', resolve: resolve as (v: unknown) => void }));
      },
    }),
    ended: (callSid, status, reason) => {
      pending.delete(`stay-${callSid}`);
      push({ type: 'ended', callSid, status, reason });
    },
  };
  return phone;
};

/** The softphones registered with one carrier, by id and by number (a newer registration for a number replaces the older). */
export type PhoneRegistry = {
  register: (number: string) => RemotePhone;
  byId: (id: string) => RemotePhone | undefined;
  byNumber: (number: string) => RemotePhone | undefined;
  /** Hangs up and forgets a phone. */
  unregister: (id: string) => void;
  /** Hangs up every phone (the server is closing: their long polls answer at once). */
  closeAll: () => void;
};

export const createPhoneRegistry = (): PhoneRegistry => {
  const phones = new Map<string, RemotePhone>();
  const numbers = new Map<string, RemotePhone>();
  const unregister = (id: string) => {
    const p = phones.get(id);
    if (!p) return;
    p.hangUp();
    phones.delete(id);
    if (numbers.get(p.number) === p) numbers.delete(p.number);
  };
  return {
    register: (number) => {
      const old = numbers.get(number);
      if (old) unregister(old.id);
      const p = createRemotePhone(number);
      phones.set(p.id, p);
      numbers.set(number, p);
      return p;
    },
    byId: (id) => phones.get(id),
    byNumber: (number) => numbers.get(number),
    unregister,
    closeAll: () => {
      for (const id of [...phones.keys()]) unregister(id);
    },
  };
};
