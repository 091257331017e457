type Log = { warn: (obj: object, msg: string) => void };

/** What emits connection errors: an ioredis client, a BullMQ Queue or Worker. */
type ErrorEmitter = { on: (event: 'error', listener: (err: Error) => void) => unknown };

/** At most one line per this long per emitter while a service stays unreachable. */
const EVERY_MS = 10_000;

/**
 * Listens for `error` on a Redis client, BullMQ queue or worker and logs it as a warning: the first
 * at once, then one line per 10 s with how many came meanwhile. Without a listener ioredis prints
 * "Unhandled error event" and BullMQ writes to the console on every reconnect attempt of an outage.
 * They reconnect by themselves; the work they carry is retried (outbox relay, BullMQ attempts).
 */
export const logConnectionErrors = (emitter: ErrorEmitter, log: Log, what: string): void => {
  let last = 0;
  let missed = 0;
  emitter.on('error', (err) => {
    const now = Date.now();
    if (now - last < EVERY_MS) {
      missed += 1;
      return;
    }
    log.warn({ err: { message: err.message, code: (err as { code?: string }).code }, since: missed }, `${what}: connection error`);
    last = now;
    missed = 0;
  });
};
