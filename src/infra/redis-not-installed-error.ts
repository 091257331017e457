/**
 * Thrown when no `redis-server` is on PATH; the message says how to get one.
 * A file of its own so the CLI entry can recognise it without loading ioredis.
 */
export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      'No REDIS_URL is set and no `redis-server` was found on PATH, so the gateway cannot start its private ' +
        'Redis (BullMQ needs one). Install Redis: `sudo apt-get install redis-server` on Debian/Ubuntu, ' +
        '`brew install redis` on macOS; or set REDIS_URL=redis://host:6379 to use an existing server.',
    );
    this.name = 'RedisNotInstalledError';
  }
}
