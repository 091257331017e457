import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { checkJobPayload, defineJob, JobPayloadError, parseJobPayload, type JobPayload } from './job-definition.js';
import { handleJob, toOutboxHandlers } from './job-registry.js';

const exampleJob = defineJob({
  topic: 'unit.example',
  version: 1,
  payload: z.object({ dueId: z.string().min(1), contact: z.object({ phone: z.string() }), note: z.string().optional() }),
});

const refusal = (fn: () => unknown): JobPayloadError => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof JobPayloadError, String(err));
    return err;
  }
  assert.fail('expected a JobPayloadError');
};

test('a valid payload passes, parsed and typed by its definition', () => {
  const p: JobPayload<typeof exampleJob> = parseJobPayload(exampleJob, { dueId: 'd1', contact: { phone: '+15550100' } });
  assert.deepEqual(p, { dueId: 'd1', contact: { phone: '+15550100' } });
  assert.equal(exampleJob.topic, 'unit.example');
  assert.equal(exampleJob.version, 1);
  assert.doesNotThrow(() => checkJobPayload('unit.example', { dueId: 'd1', contact: { phone: 'x' }, note: 'n' }));
});

test('an invalid payload is refused with an error naming the topic and the field', () => {
  const missing = refusal(() => parseJobPayload(exampleJob, { contact: { phone: '+15550100' } }));
  assert.equal(missing.topic, 'unit.example');
  assert.equal(missing.field, 'dueId');
  assert.match(missing.message, /job "unit\.example": field "dueId"/);
  const nested = refusal(() => checkJobPayload('unit.example', { dueId: 'd1', contact: { phone: 7 } }));
  assert.equal(nested.field, 'contact.phone');
  assert.match(nested.message, /unit\.example.*contact\.phone/);
});

test('a topic without a definition is refused, and a topic is defined once', () => {
  const unknown = refusal(() => checkJobPayload('unit.nobody-defined-this', {}));
  assert.equal(unknown.topic, 'unit.nobody-defined-this');
  assert.match(unknown.message, /no job definition/);
  assert.throws(() => defineJob({ topic: 'unit.example', version: 2, payload: z.object({}) }), /defined twice/);
});

test('the worker hands a handler the parsed payload and refuses a stored one that does not match, for good', async () => {
  const seen: unknown[] = [];
  const reg = handleJob(exampleJob, async (job) => {
    seen.push(job.payload.contact.phone);
  });
  const job = { id: 'o1', topic: exampleJob.topic, interactionId: null, attempt: 1, markStarted: async () => null };
  await reg.handler({ ...job, payload: { dueId: 'd1', contact: { phone: '+1' }, extra: true } });
  assert.deepEqual(seen, ['+1']);
  await assert.rejects(reg.handler({ ...job, payload: { dueId: '' } }), (err: unknown) =>
    err instanceof UnrecoverableError && /unit\.example.*dueId/.test(err.message));
  assert.equal(seen.length, 1);
  assert.throws(() => toOutboxHandlers([reg, reg]), /two handlers/);
});
