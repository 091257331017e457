import type { AnyMachineSnapshot } from 'xstate';
import type { StoredSession } from './turn-write.js';

/** A session as this process last saved or loaded it, with its resolved snapshot. */
export type CachedSession = StoredSession & { resolved: AnyMachineSnapshot };

/** A map that keeps its most recently used entries, at most `max`. */
const lruMap = <V>(max: number) => {
  const entries = new Map<string, V>();
  return {
    entries,
    get: (key: string): V | undefined => {
      const e = entries.get(key);
      if (e !== undefined) {
        entries.delete(key);
        entries.set(key, e);
      }
      return e;
    },
    set: (key: string, v: V): void => {
      entries.delete(key);
      entries.set(key, v);
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
    },
  };
};

/**
 * The sessions this process touched lately, so a turn can go straight to its
 * one write (the optimistic version check still guards it). Any doubt (a
 * stale version, another writer on the evidence chain, a retried webhook)
 * drops the entry and the turn reloads from Postgres. Bounded, least recently
 * used first out. Sessions that ended (a call hung up) are kept apart and
 * only briefly (`maxEnded`, far fewer): long enough for what follows an end
 * at once, such as a call's final status callback, without ended calls
 * filling the memory live calls need.
 */
export const createSessionCache = (maxEntries = 20_000, maxEnded = 2_000) => {
  const live = lruMap<CachedSession>(maxEntries);
  const ended = lruMap<CachedSession>(maxEnded);
  return {
    get: (key: string): CachedSession | undefined => live.get(key) ?? ended.get(key),
    set: (key: string, s: CachedSession, o: { ended?: boolean } = {}): void => {
      (o.ended ? live : ended).entries.delete(key);
      (o.ended ? ended : live).set(key, s);
    },
    delete: (key: string): void => {
      live.entries.delete(key);
      ended.entries.delete(key);
    },
    get size() {
      return live.entries.size + ended.entries.size;
    },
  };
};

export type SessionCache = ReturnType<typeof createSessionCache>;
