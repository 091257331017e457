import type { AnyMachineSnapshot } from 'xstate';
import type { StoredSession } from './session-store.js';

/** A session as this process last saved or loaded it, with its resolved snapshot. */
export type CachedSession = StoredSession & { resolved: AnyMachineSnapshot };

/**
 * The sessions this process touched lately, so a turn can go straight to its
 * one write (the optimistic version check still guards it). Any doubt (a
 * stale version, another writer on the evidence chain, a retried webhook)
 * drops the entry and the turn reloads from Postgres. Bounded, least recently
 * used first out.
 */
export const createSessionCache = (maxEntries = 20_000) => {
  const entries = new Map<string, CachedSession>();
  return {
    get: (key: string): CachedSession | undefined => {
      const e = entries.get(key);
      if (e) {
        entries.delete(key);
        entries.set(key, e);
      }
      return e;
    },
    set: (key: string, s: CachedSession): void => {
      entries.delete(key);
      entries.set(key, s);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete: (key: string): void => {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
};

export type SessionCache = ReturnType<typeof createSessionCache>;
