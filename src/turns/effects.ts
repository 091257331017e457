import type { OutboxDraft } from '../jobs/outbox-rows.js';

/**
 * Side effects leave a machine as named actions. An action whose type starts
 * with `outbox:` is a job to run after the turn commits: the rest of its type
 * is the job topic and its params the payload (ids, never personal data), with
 * optional `delayMs` or `runAt` to schedule it and `correlation` to name what
 * it is about (so paying a due can cancel reminders still waiting on it). Other actions are ignored by
 * the turn engine (machines stay pure: nothing executes during a transition).
 * Each topic has a job definition (defineJob, src/runtime/job-catalog.ts): the machine types the
 * action's params with it, and toOutboxRows refuses params that do not match, before any write.
 */
export const OUTBOX_PREFIX = 'outbox:';

type ActionLike = { type: string; params?: unknown };

export const effectsFromActions = (actions: readonly ActionLike[]): OutboxDraft[] => {
  const out: OutboxDraft[] = [];
  for (const a of actions) {
    if (!a.type.startsWith(OUTBOX_PREFIX)) continue;
    const params = (a.params ?? {}) as Record<string, unknown>;
    const { delayMs, runAt, correlation, ...payload } = params;
    out.push({
      topic: a.type.slice(OUTBOX_PREFIX.length),
      payload,
      delayMs: typeof delayMs === 'number' ? delayMs : undefined,
      runAt: runAt instanceof Date ? runAt : typeof runAt === 'string' ? new Date(runAt) : undefined,
      correlation: typeof correlation === 'string' ? correlation : undefined,
    });
  }
  return out;
};
