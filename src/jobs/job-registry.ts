import { UnrecoverableError } from 'bullmq';
import { JobPayloadError, parseJobPayload, type JobDefinition, type JobPayload } from './job-definition.js';
import type { OutboxHandler, OutboxHandlerResult, OutboxJob, OutboxHandlers } from './outbox-worker.js';

/** A handler of one job definition: it receives the parsed, typed payload. */
export type JobHandler<D extends JobDefinition> = (job: OutboxJob<JobPayload<D>>) => Promise<OutboxHandlerResult>;

/** One entry of the worker's registry: a job's definition and what runs it. */
export type JobRegistration = { readonly definition: JobDefinition; readonly handler: OutboxHandler };

/** Pairs a definition with its handler, checking at compile time that the handler takes that payload. */
export const handleJob = <D extends JobDefinition>(definition: D, handler: JobHandler<D>): JobRegistration => ({
  definition,
  handler: async (job) => {
    let payload: JobPayload<D>;
    try {
      payload = parseJobPayload(definition, job.payload);
    } catch (err) {
      // why: a stored payload that does not match will not match on a retry either.
      if (err instanceof JobPayloadError) throw new UnrecoverableError(err.message);
      throw err;
    }
    return handler({ ...job, payload });
  },
});

/** The worker's table by topic; a topic registered twice is a wiring bug and throws. */
export const toOutboxHandlers = (jobs: readonly JobRegistration[]): OutboxHandlers => {
  const out: OutboxHandlers = {};
  for (const j of jobs) {
    if (Object.hasOwn(out, j.definition.topic)) throw new Error(`job topic "${j.definition.topic}" has two handlers`);
    out[j.definition.topic] = j.handler;
  }
  return out;
};
