import { EvidenceType } from '../evidence/evidence-event.js';
import type { RecoveryCallContext } from './recovery-call-context.js';
import type { RecoveryCallOutcome, RecoveryCallWebDeps } from './recovery-call-deps.js';
import { storeOutcome } from './recovery-call-store.js';
import { recordCallStep } from './record-call-step.js';

/** A call's final statuses and the outcome each means; null: it was answered, so what it achieved (else `hung-up`). */
const FINAL: Record<string, RecoveryCallOutcome | null> = {
  completed: null, busy: 'busy', 'no-answer': 'no-answer', failed: 'failed', canceled: 'no-answer',
};

/**
 * A recovery call's status callback. A final status stores the call's outcome and reports it to the
 * recovery flow's port, once, in the same transaction, with its evidence and the jobs the port returns:
 * a repeated or late callback changes nothing. Progress statuses (initiated, ringing, in-progress) are not recorded.
 */
export const endRecoveryCall = async (deps: RecoveryCallWebDeps, ctx: RecoveryCallContext, p: { status: string; durationSeconds: number | null }): Promise<void> => {
  if (!ctx.due || !Object.hasOwn(FINAL, p.status)) return;
  await recordCallStep(deps, ctx.party, async (client) => {
    const stored = await storeOutcome(client, ctx.party.callSid, FINAL[p.status] ?? null, deps.clock.now());
    if (!stored?.outcome) return { value: undefined, step: { evidence: [] } };
    const jobs = await deps.ports.onOutcome?.({ dueId: stored.dueId, stepId: stored.stepId, callSid: stored.callSid, outcome: stored.outcome });
    return {
      value: undefined,
      step: {
        outbox: jobs ?? [],
        evidence: [{
          type: EvidenceType.CALL_STATUS, providerRef: ctx.party.callSid,
          payload: { flow: 'recovery-call', status: p.status, duration: p.durationSeconds, answeredBy: stored.answeredBy, outcome: stored.outcome },
        }],
      },
    };
  });
};
