import { createConferenceRegistry, type ConferenceCallbackSender, type ConferenceRegistry } from './conference-registry.js';
import type { FakeCall } from './fake-rest-resources.js';

/** What the Calls API can do to a live call: new TwiML (by URL or inline), or hang it up. */
export type CallInterrupt =
  | { kind: 'redirect'; url: string; method: 'GET' | 'POST' }
  | { kind: 'twiml'; twiml: string }
  | { kind: 'hangup' };

/**
 * Interruptions waiting for a call, in order. `next()` hands out one promise until it settles, so a
 * call that races every verb against it leaves no waiter behind per verb.
 */
export class CallInterrupts {
  private readonly queued: CallInterrupt[] = [];
  private waiter: { promise: Promise<CallInterrupt>; resolve: (i: CallInterrupt) => void } | undefined;

  push(i: CallInterrupt): void {
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve(i);
    } else this.queued.push(i);
  }

  next(): Promise<CallInterrupt> {
    const queued = this.queued.shift();
    if (queued) return Promise.resolve(queued);
    if (!this.waiter) {
      let resolve!: (i: CallInterrupt) => void;
      const promise = new Promise<CallInterrupt>((r) => (resolve = r));
      this.waiter = { promise, resolve };
    }
    return this.waiter.promise;
  }
}

/** A call the carrier knows: its resource (as the Calls API shows it) and how to reach it while it plays. */
export type LiveCall = {
  readonly record: FakeCall;
  /** Present while the call plays TwiML; a queued or ringing call has none yet. */
  interrupts?: CallInterrupts;
  /** Set while the call rings: ends the ringing as `canceled`. */
  cancel?: () => void;
};

/**
 * What the calls of one simulated carrier share: the conferences they meet in and the calls the
 * Calls API may update (those the REST API created and those placed to the gateway through it).
 */
export type CarrierNetwork = {
  readonly conferences: ConferenceRegistry;
  readonly calls: Map<string, LiveCall>;
};

export const createCarrierNetwork = (o: { accountSid: string; send: ConferenceCallbackSender; now?: () => Date }): CarrierNetwork => ({
  conferences: createConferenceRegistry(o),
  calls: new Map(),
});

/** The statuses after which a call is over. */
export const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);
