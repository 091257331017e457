import { assign, setup } from 'xstate';
import { z } from 'zod';
import { defineJob, type JobPayloadIn } from '../../src/jobs/job-definition.js';

/** The job the counter machine queues on NOTIFY. */
export const notifyJob = defineJob({ topic: 'test.notify', version: 1, payload: z.object({ count: z.number().int() }) });

/** A small machine for runtime tests: counts events, queues a job on demand, ends on HANGUP. */
export const counterMachine = setup({
  types: {} as {
    context: { count: number; seen: string[] };
    events: { type: 'BUMP'; tag: string } | { type: 'NOTIFY' } | { type: 'HANGUP' };
    input: { start?: number };
  },
  actions: {
    'outbox:test.notify': (_, _params: JobPayloadIn<typeof notifyJob>) => undefined,
  },
}).createMachine({
  id: 'counter',
  context: ({ input }) => ({ count: input.start ?? 0, seen: [] }),
  initial: 'open',
  states: {
    open: {
      on: {
        BUMP: { actions: assign({ count: ({ context }) => context.count + 1, seen: ({ context, event }) => [...context.seen, event.tag] }) },
        NOTIFY: { actions: { type: 'outbox:test.notify', params: ({ context }) => ({ count: context.count }) } },
        HANGUP: 'closed',
      },
    },
    closed: { type: 'final' },
  },
});
