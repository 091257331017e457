import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { TurnItem, WriteOutcome } from './turn-write.js';
import { writeOneTurn } from './write-one-turn.js';
import { writeTurns } from './write-turns.js';

type Entry = { item: TurnItem; resolve: (o: WriteOutcome) => void; reject: (e: unknown) => void };


/**
 * Group commit for flow turns: turns arriving while earlier batches are being
 * written wait and go together in the next one (no timer, so a lone turn is
 * written at once). One statement and one commit for many turns is where the
 * speed is on a small machine: a turn costs its share of one round trip.
 * A batch that fails as a whole (a rare race on a webhook's stored answer or
 * an interaction's head) is redone turn by turn, whose errors the turn engine
 * already handles.
 */
export const createTurnBatcher = (db: Db, clock: Clock, opts: { maxBatch?: number; maxInFlight?: number } = {}) => {
  const maxBatch = opts.maxBatch ?? 64;
  const maxInFlight = opts.maxInFlight ?? 3;
  let inFlight = 0;
  let scheduled = false;
  let pending: Entry[] = [];

  const takeBatch = (): Entry[] => {
    const batch: Entry[] = [];
    const rest: Entry[] = [];
    const keys = new Set<string>();
    for (const e of pending) {
      // Two turns of one session never share a batch: the second must see the first's version.
      if (batch.length < maxBatch && !keys.has(e.item.sessionKey)) {
        keys.add(e.item.sessionKey);
        batch.push(e);
      } else rest.push(e);
    }
    pending = rest;
    return batch;
  };

  const run = async (batch: Entry[]): Promise<void> => {
    const alone = async () => {
      for (const e of batch) await writeOneTurn(db, e.item).then(e.resolve, e.reject);
    };
    try {
      if (batch.length === 1) return await alone();
      const saved = await writeTurns(db, batch.map((e) => e.item), clock.now());
      batch.forEach((e, k) => e.resolve(saved[k] ? 'saved' : 'moved'));
    } catch {
      await alone();
    }
  };

  const pump = (): void => {
    scheduled = false;
    while (inFlight < maxInFlight && pending.length > 0) {
      const batch = takeBatch();
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return {
    /** Writes one turn with others arriving meanwhile; resolves 'saved' or 'moved' like writeOneTurn, rejects with its errors. */
    write: (item: TurnItem): Promise<WriteOutcome> =>
      new Promise<WriteOutcome>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // why: let the turns of this event-loop tick join the same batch.
          setImmediate(pump);
        }
      }),
  };
};

export type TurnBatcher = ReturnType<typeof createTurnBatcher>;
