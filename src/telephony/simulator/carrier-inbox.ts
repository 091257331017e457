import { EventEmitter } from 'node:events';
import type { FakeMessage, FakeTwilioError } from './fake-rest-resources.js';

/** One delivery status a text went through, with when and its error code. */
export type InboxStatus = { status: string; errorCode: number | null; at: string };

/**
 * A text the gateway sent (or tried to send) to a number, as the simulator's inbox shows it.
 * A create the carrier refused (e.g. 21610) is listed too, with `sid` null and status `refused`,
 * so a person at the softphone sees that the gateway tried.
 */
export type InboxMessage = {
  /** The message SID, or `refused-<n>` for a refused create. */
  id: string;
  sid: string | null;
  from: string | null;
  to: string;
  body: string;
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
  /** Every status in order (queued, sent, delivered...), the latest last. */
  history: InboxStatus[];
};

/** An answer of `GET /simulator/messages`: what changed after the cursor, and the next cursor. */
export type InboxPage = { messages: InboxMessage[]; next: number };

/**
 * The outbound texts the carrier took, by recipient, behind a cursor: every creation and every
 * status change takes the next sequence number, so a reader asking "after N" gets each text that
 * is new or has moved on since, with its whole status history.
 */
export type CarrierInbox = {
  /** Records a created message or its new status (a repeated status is not recorded twice). */
  track: (m: FakeMessage) => void;
  /** Records a create the carrier refused. */
  refused: (attempt: { from: string | null; to: string; body: string }, error: FakeTwilioError) => void;
  /** The cursor now: a later `page` lists only what changes from here on. */
  cursor: () => number;
  /** Texts to `number` changed after `after`, oldest change first. */
  page: (number: string, after: number) => InboxPage;
  /** Like `page`, but waits up to `waitMs` for a change when there is none yet (or until `signal` aborts). */
  wait: (number: string, after: number, waitMs: number, signal?: AbortSignal) => Promise<InboxPage>;
  /** Wakes every waiter (they answer what they have): the server is closing. */
  close: () => void;
  /** Whether `close` was called. */
  readonly closed: boolean;
};

export const createCarrierInbox = (now: () => Date): CarrierInbox => {
  let seq = 0;
  let refusals = 0;
  let closed = false;
  const entries = new Map<string, { message: InboxMessage; seq: number }>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);

  const touch = (message: InboxMessage) => {
    entries.set(message.id, { message, seq: ++seq });
    changes.emit('change', message.to);
  };

  const page: CarrierInbox['page'] = (number, after) => ({
    messages: [...entries.values()]
      .filter((e) => e.seq > after && e.message.to === number)
      .sort((a, b) => a.seq - b.seq)
      .map((e) => structuredClone(e.message)),
    next: seq,
  });

  return {
    track: (m) => {
      const known = entries.get(m.sid)?.message;
      const last = known?.history.at(-1);
      if (last && last.status === m.status && last.errorCode === m.errorCode) return;
      const status: InboxStatus = { status: m.status, errorCode: m.errorCode, at: now().toISOString() };
      const history = [...(known?.history ?? []), status];
      touch({ id: m.sid, sid: m.sid, from: m.from, to: m.to, body: m.body, status: m.status, errorCode: m.errorCode, errorMessage: null, history });
    },
    refused: ({ from, to, body }, error) => {
      const status: InboxStatus = { status: 'refused', errorCode: error.code, at: now().toISOString() };
      touch({ id: `refused-${++refusals}`, sid: null, from, to, body, status: 'refused', errorCode: error.code, errorMessage: error.message, history: [status] });
    },
    cursor: () => seq,
    page,
    wait: (number, after, waitMs, signal) => {
      const found = page(number, after);
      if (found.messages.length > 0 || waitMs <= 0 || signal?.aborted || closed) return Promise.resolve(found);
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          changes.off('change', onChange);
          changes.off('close', done);
          signal?.removeEventListener('abort', done);
          resolve(page(number, after));
        };
        const onChange = (to: string) => to === number && done();
        const timer = setTimeout(done, waitMs);
        changes.on('change', onChange);
        changes.once('close', done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    close: () => {
      closed = true;
      changes.emit('close');
    },
    get closed() {
      return closed;
    },
  };
};
