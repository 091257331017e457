import type { Db } from '../../db/pool.js';
import type { Clock } from '../../shared/clock.js';
import { createSessionsBatch, type NewSessionItem } from './create-sessions-batch.js';
import { saveTurnsBatch, type BatchItem } from './save-turns-batch.js';
import { createSession, saveTurn, type StoredSession, type TurnWrite, type WriteOutcome } from './session-store.js';

type Entry<T> = { item: T; resolve: (o: WriteOutcome) => void; reject: (e: unknown) => void };

/** One kind of batched write: how to key items (one per key in a batch), write many, or write one alone. */
type Lane<T> = {
  pending: Entry<T>[];
  keyOf: (item: T) => string;
  many: (items: T[]) => Promise<boolean[]>;
  one: (item: T) => Promise<WriteOutcome>;
};

/**
 * Group commit for flow turns: turns arriving while earlier batches are being
 * written wait and go together in the next one (no timer, so a lone turn is
 * written at once). One statement and one commit for many turns is where the
 * speed is on a small machine: a turn costs its share of one round trip.
 * Turns of existing sessions and first turns (new sessions) are batched
 * separately. A batch that fails as a whole (a rare race on a webhook's stored
 * answer) is redone turn by turn with the single-turn statements, whose errors
 * the turn runtime already handles.
 */
export const createTurnBatcher = (db: Db, clock: Clock, opts: { maxBatch?: number; maxInFlight?: number } = {}) => {
  const maxBatch = opts.maxBatch ?? 64;
  const maxInFlight = opts.maxInFlight ?? 3;
  let inFlight = 0;
  let scheduled = false;

  const saves: Lane<BatchItem> = {
    pending: [],
    keyOf: (it) => it.session.id,
    many: (items) => saveTurnsBatch(db, items, clock.now()),
    one: (it) => saveTurn(db, it.session, it.write),
  };
  const creates: Lane<NewSessionItem> = {
    pending: [],
    keyOf: (it) => it.init.sessionKey,
    many: (items) => createSessionsBatch(db, items, clock.now()),
    one: (it) => createSession(db, it.init, it.write),
  };

  const takeBatch = <T>(lane: Lane<T>): Entry<T>[] => {
    const batch: Entry<T>[] = [];
    const rest: Entry<T>[] = [];
    const keys = new Set<string>();
    for (const e of lane.pending) {
      // Two turns of one session never share a batch: the second must see the first's version.
      const key = lane.keyOf(e.item);
      if (batch.length < maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(e);
      } else rest.push(e);
    }
    lane.pending = rest;
    return batch;
  };

  const run = async <T>(lane: Lane<T>, batch: Entry<T>[]): Promise<void> => {
    const alone = async () => {
      for (const e of batch) await lane.one(e.item).then(e.resolve, e.reject);
    };
    try {
      if (batch.length === 1) return await alone();
      const saved = await lane.many(batch.map((e) => e.item));
      batch.forEach((e, k) => e.resolve(saved[k] ? 'saved' : 'moved'));
    } catch {
      await alone();
    }
  };

  const start = <T>(lane: Lane<T>): void => {
    const batch = takeBatch(lane);
    inFlight++;
    void run(lane, batch).finally(() => {
      inFlight--;
      pump();
    });
  };

  const pump = (): void => {
    scheduled = false;
    while (inFlight < maxInFlight && (saves.pending.length > 0 || creates.pending.length > 0)) {
      if (saves.pending.length > 0) start(saves);
      if (inFlight < maxInFlight && creates.pending.length > 0) start(creates);
    }
  };

  const enqueue = <T>(lane: Lane<T>, item: T): Promise<WriteOutcome> =>
    new Promise<WriteOutcome>((resolve, reject) => {
      lane.pending.push({ item, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        // why: let the turns of this event-loop tick join the same batch.
        setImmediate(pump);
      }
    });

  return {
    /** Saves one turn of an existing session; resolves 'saved' or 'moved' like saveTurn, rejects with its errors. */
    save: (session: StoredSession, write: TurnWrite): Promise<WriteOutcome> => enqueue(saves, { session, write }),
    /** Creates a session on a new interaction; resolves like createSession, rejects with its errors. */
    create: (item: NewSessionItem): Promise<WriteOutcome> => enqueue(creates, item),
  };
};

export type TurnBatcher = ReturnType<typeof createTurnBatcher>;
