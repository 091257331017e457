import type { z } from 'zod';

/**
 * A job's contract, written once and used by both sides: whoever queues the job (a machine's
 * `outbox:<topic>` action, a direct outbox writer) and the worker that runs it. `version` 1 is the
 * payload shape stored today; outbox rows carry no version, so a later version must still accept
 * every shape stored before it (rows can wait in a live outbox for days).
 */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  readonly topic: string;
  readonly version: number;
  readonly payload: S;
};

/** The payload a queuer writes (`z.input`) and the one a handler receives (`z.output`). */
export type JobPayloadIn<D extends JobDefinition> = z.input<D['payload']>;
export type JobPayload<D extends JobDefinition> = z.output<D['payload']>;

/** A payload that does not match its topic's definition (or a topic with none); nothing was queued or run. */
export class JobPayloadError extends Error {
  readonly topic: string;
  /** Dotted path of the first offending field ('' for the payload as a whole or an unknown topic). */
  readonly field: string;
  constructor(topic: string, field: string, reason: string) {
    super(`job "${topic}": ${field ? `field "${field}"` : 'payload'} ${reason}`);
    this.name = 'JobPayloadError';
    this.topic = topic;
    this.field = field;
  }
}

// why: direct writers hand the outbox rows by topic string (payments' PaymentTopics); the
// writer finds the contract here. Every definition registers itself when its module loads.
const byTopic = new Map<string, JobDefinition>();

export const defineJob = <S extends z.ZodType>(d: { topic: string; version: number; payload: S }): JobDefinition<S> => {
  if (byTopic.has(d.topic)) throw new Error(`job topic "${d.topic}" is defined twice`);
  const def = Object.freeze({ topic: d.topic, version: d.version, payload: d.payload });
  byTopic.set(d.topic, def);
  return def;
};

export const jobDefinitionFor = (topic: string): JobDefinition | undefined => byTopic.get(topic);

/** The parsed, typed payload, or a JobPayloadError naming the topic and the first bad field. */
export const parseJobPayload = <D extends JobDefinition>(def: D, payload: unknown): JobPayload<D> => {
  const r = def.payload.safeParse(payload);
  if (r.success) return r.data as JobPayload<D>;
  const issue = r.error.issues[0];
  throw new JobPayloadError(def.topic, issue ? issue.path.map(String).join('.') : '', issue?.message ?? 'is invalid');
};

/** Checks a payload against its topic's definition; a topic without one is refused as well. */
export const checkJobPayload = (topic: string, payload: unknown): void => {
  const def = byTopic.get(topic);
  if (!def) throw new JobPayloadError(topic, '', 'has no job definition (defineJob) for its topic');
  parseJobPayload(def, payload);
};
