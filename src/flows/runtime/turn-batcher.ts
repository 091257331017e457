import type { Db } from '../../db/pool.js';
import type { Clock } from '../../shared/clock.js';
import { saveTurnsBatch, type BatchItem } from './save-turns-batch.js';
import { saveTurn, type StoredSession, type TurnWrite, type WriteOutcome } from './session-store.js';

type Entry = { item: BatchItem; resolve: (o: WriteOutcome) => void; reject: (e: unknown) => void };

/**
 * Group commit for flow turns: turns arriving while earlier batches are being
 * written wait and go together in the next one (no timer, so a lone turn is
 * written at once). One statement and one commit for many turns is where the
 * speed is on a small machine: a turn costs its share of one round trip.
 * A batch that fails as a whole (a rare race on a webhook's stored answer)
 * is redone turn by turn with the single-turn statement, whose errors the
 * turn runtime already handles.
 */
export const createTurnBatcher = (db: Db, clock: Clock, opts: { maxBatch?: number; maxInFlight?: number } = {}) => {
  const maxBatch = opts.maxBatch ?? 64;
  const maxInFlight = opts.maxInFlight ?? 3;
  let inFlight = 0;
  let pending: Entry[] = [];
  let scheduled = false;

  const takeBatch = (): Entry[] => {
    const batch: Entry[] = [];
    const rest: Entry[] = [];
    const sessions = new Set<string>();
    for (const e of pending) {
      // Two turns of one session never share a batch: the second must see the first's version.
      if (batch.length < maxBatch && !sessions.has(e.item.session.id)) {
        sessions.add(e.item.session.id);
        batch.push(e);
      } else rest.push(e);
    }
    pending = rest;
    return batch;
  };

  const run = async (batch: Entry[]): Promise<void> => {
    try {
      const saved = batch.length === 1 ? null : await saveTurnsBatch(db, batch.map((e) => e.item), clock.now());
      if (saved) batch.forEach((e, k) => e.resolve(saved[k] ? 'saved' : 'moved'));
      else for (const e of batch) await saveTurn(db, e.item.session, e.item.write).then(e.resolve, e.reject);
    } catch {
      for (const e of batch) await saveTurn(db, e.item.session, e.item.write).then(e.resolve, e.reject);
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
    /** Saves one turn; resolves 'saved' or 'moved' like saveTurn, rejects with its errors. */
    save: (session: StoredSession, write: TurnWrite): Promise<WriteOutcome> =>
      new Promise<WriteOutcome>((resolve, reject) => {
        pending.push({ item: { session, write }, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // why: let the turns of this event-loop tick join the same batch.
          setImmediate(pump);
        }
      }),
  };
};

export type TurnBatcher = ReturnType<typeof createTurnBatcher>;
