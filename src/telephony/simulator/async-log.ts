import { EventEmitter } from 'node:events';

/** A filter on log entries: a predicate or a partial match on fields such as `to`. */
export type LogFilter<T> = ((entry: T) => boolean) | Partial<Record<keyof T, unknown>>;

const matches = <T>(entry: T, filter: LogFilter<T> | undefined): boolean => {
  if (filter === undefined) return true;
  if (typeof filter === 'function') return filter(entry);
  return Object.entries(filter).every(([k, v]) => (entry as Record<string, unknown>)[k] === v);
};

/**
 * An append-only record that tests can await: `next(filter)` returns the
 * first matching entry not already handed out by an earlier `next`, waiting
 * for it if needed, so an entry that arrives before the test asks is not lost.
 */
export class AsyncLog<T> {
  readonly entries: T[] = [];
  private readonly taken = new Set<T>();
  private readonly emitter = new EventEmitter();

  /** Appends an entry and wakes the waiters. */
  push(entry: T): void {
    this.entries.push(entry);
    this.emitter.emit('entry', entry);
  }

  /** Subscribes to new entries; returns the unsubscribe function. */
  onEntry(listener: (entry: T) => void): () => void {
    this.emitter.on('entry', listener);
    return () => this.emitter.off('entry', listener);
  }

  /** The next matching entry, or a rejection after `timeoutMs` (default 5 000). */
  next(filter?: LogFilter<T>, timeoutMs = 5_000): Promise<T> {
    const found = this.entries.find((e) => !this.taken.has(e) && matches(e, filter));
    if (found !== undefined) {
      this.taken.add(found);
      return Promise.resolve(found);
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${filter === undefined ? 'an entry' : `an entry matching ${typeof filter === 'function' ? 'the predicate' : JSON.stringify(filter)}`}.`));
      }, timeoutMs);
      const off = this.onEntry((entry) => {
        if (this.taken.has(entry) || !matches(entry, filter)) return;
        this.taken.add(entry);
        clearTimeout(timer);
        off();
        resolve(entry);
      });
    });
  }

  /** Iterates over every future entry (and the ones not yet taken), for `for await` loops. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) yield await this.next(undefined, 2 ** 31 - 1);
  }
}
