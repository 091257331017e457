import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import { createRedisWebhookSpool, type SpooledWebhook } from '../../src/sms/spool/webhook-spool.js';
import { createTestRedis } from '../support/test-redis.js';

const r = createTestRedis();
const redis = new Redis(r.url);
after(async () => {
  redis.disconnect();
  await r.cleanup();
});

const hook = (n: number): SpooledWebhook => ({ kind: 'inbound-sms', params: { MessageSid: `SM${n}`, Body: 'STOP' }, path: '/twilio/sms', receivedAt: new Date(n).toISOString() });

test('spooled webhooks are applied in the order they came; a failure stops the pass and keeps that one first in line', async () => {
  const spool = createRedisWebhookSpool(redis, r.prefix);
  for (const n of [1, 2, 3]) await spool.put(hook(n));
  const seen: string[] = [];
  let fail = true;
  const apply = async (w: SpooledWebhook) => {
    const sid = String(w.params.MessageSid);
    if (sid === 'SM2' && fail) throw new Error('Postgres is down');
    seen.push(sid);
  };
  await assert.rejects(spool.drain(apply), /Postgres is down/);
  assert.deepEqual(seen, ['SM1']);
  fail = false;
  assert.equal(await spool.drain(apply), 2);
  assert.deepEqual(seen, ['SM1', 'SM2', 'SM3']);
  assert.equal(await spool.drain(apply), 0);
});

test('what a dead worker left half-applied is applied by the next pass, first', async () => {
  const spool = createRedisWebhookSpool(redis, r.prefix);
  await spool.put(hook(4));
  await spool.put(hook(5));
  // A worker moved SM4 to processing and died before finishing it.
  await redis.lmove(`${r.prefix}:webhook-spool`, `${r.prefix}:webhook-spool:processing`, 'LEFT', 'RIGHT');
  const seen: string[] = [];
  assert.equal(await spool.drain(async (w) => void seen.push(String(w.params.MessageSid))), 2);
  assert.deepEqual(seen, ['SM4', 'SM5']);
});
