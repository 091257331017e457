import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A fault the loopback fakes (Stripe, Twilio) apply to their next requests:
 * - `network`: drop the connection, `before` doing the work (the provider never got the request)
 *   or `after` it (the work is done, the answer is lost);
 * - `slow`: answer `ms` late;
 * - `error`: answer this 5xx status without doing the work (the provider's own outage);
 * - `hold`: wait until released, `before` or `after` the work (tests kill a process meanwhile).
 * `times` (default 1) is how many requests in a row it hits.
 */
export type FakeFault =
  | { kind: 'network'; when?: 'before' | 'after'; times?: number }
  | { kind: 'slow'; ms: number; times?: number }
  | { kind: 'error'; status: number; times?: number }
  | { kind: 'hold'; when: 'before' | 'after'; times?: number; arrived: () => void; released: Promise<void> };

/** A held request: `arrived` resolves when it reaches the fake; `release` lets it go on. */
export type HeldRequest = { arrived: Promise<void>; release: () => void };

/** Whether a request is finished by its fault (dropped, refused with an error, or its client gone while held). */
type Finished = boolean;

/**
 * The fault queue of one fake. A fake takes the fault of a request when it arrives, runs
 * `before` ahead of the work and `after` behind it, and stops when either says finished.
 */
export const createFaultQueue = () => {
  const queue: FakeFault[] = [];

  const hold = async (fault: Extract<FakeFault, { kind: 'hold' }>, res: ServerResponse): Promise<Finished> => {
    fault.arrived();
    const gone = new Promise<true>((r) => res.once('close', () => r(true)));
    return Promise.race([fault.released.then(() => false), gone]);
  };

  return {
    failNext: (f: FakeFault): void => void queue.push({ ...f }),
    /** Drops every queued fault (the outage is over). */
    clear: (): void => void queue.splice(0),
    holdNext: (o: { when: 'before' | 'after' }): HeldRequest => {
      let arrived!: () => void;
      let release!: () => void;
      const arrival = new Promise<void>((r) => (arrived = r));
      const released = new Promise<void>((r) => (release = r));
      queue.push({ kind: 'hold', when: o.when, arrived, released });
      return { arrived: arrival, release };
    },
    take: (): FakeFault | undefined => {
      const f = queue[0];
      if (!f) return undefined;
      f.times = (f.times ?? 1) - 1;
      if (f.times <= 0) queue.shift();
      return f;
    },
    /**
     * The part ahead of the work. `refuse` answers an `error` fault in the fake's own error shape.
     * A client gone while held before any work was never served: nothing is done, as for a request
     * the provider never received.
     */
    before: async (
      fault: FakeFault | undefined, req: IncomingMessage, res: ServerResponse, refuse: (status: number) => void,
    ): Promise<Finished> => {
      if (!fault) return false;
      if (fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
      if (fault.kind === 'network' && fault.when !== 'after') return (req.socket.destroy(), true);
      if (fault.kind === 'error') return (refuse(fault.status), true);
      if (fault.kind === 'hold' && fault.when === 'before') return hold(fault, res);
      return false;
    },
    /** The part behind the work, before the answer is written. */
    after: async (fault: FakeFault | undefined, req: IncomingMessage, res: ServerResponse): Promise<Finished> => {
      if (fault?.kind === 'network') return (req.socket.destroy(), true);
      if (fault?.kind === 'hold' && fault.when === 'after') return hold(fault, res);
      return false;
    },
  };
};
