import type { EvidenceDraft } from '../evidence/evidence-event.js';
import { runTurn, type TurnResult } from '../turns/run-turn.js';
import type { RecoveryEvent, RecoveryInput } from '../flows/recovery.machine.js';
import type { RecoveryDeps } from './recovery-deps.js';
import { loadRecoveryFacts } from './load-recovery-facts.js';

export const RECOVERY_MACHINE = 'recovery';
export const RECOVERY_INTERACTION = 'recovery';

/** The session of one due's recovery. */
export const recoverySessionKey = (dueId: string) => `due:${dueId}`;

/** A recovery's event: a wake (the due's facts read now), or a step put off until a time. */
export type RecoveryNudge = { type: 'WAKE' } | Omit<Extract<RecoveryEvent, { type: 'STEP_DEFERRED' }>, never>;

/**
 * One turn of a due's recovery flow, run by a job (`dedupeKey`: the job, so a re-run of it replays
 * and changes nothing). The first turn starts the session, on an interaction of its own (kind
 * 'recovery', the due as its reference, on the policy and its holder), with the schedule as it is
 * now; a WAKE carries the due's facts as they are at the clock's time. Null for an unknown due.
 */
export const runRecoveryTurn = async (
  deps: RecoveryDeps, dueId: string, nudge: RecoveryNudge, dedupeKey: string, evidence: EvidenceDraft[] = [],
): Promise<TurnResult | null> => {
  const now = deps.clock.now();
  const loaded = await loadRecoveryFacts(deps.db, dueId, { now, graceDays: deps.graceDays, homeZone: deps.homeZone });
  if (!loaded) return null;
  const { due, contact, facts } = loaded;
  return runTurn({
    sessionKey: recoverySessionKey(dueId),
    dedupeKey,
    start: {
      machineId: RECOVERY_MACHINE,
      ref: { kind: RECOVERY_INTERACTION, providerRef: dueId },
      init: async () => ({
        input: { dueId, policyId: due.policyId, schedule: deps.schedule } satisfies RecoveryInput,
        interaction: {
          kind: RECOVERY_INTERACTION, providerRef: dueId, direction: 'outbound', from: deps.fromNumber, to: contact.phone,
          policyholderId: due.policyholderId, policyId: due.policyId,
        },
      }),
    },
    prepare: async () => ({
      event: nudge.type === 'WAKE' ? { type: 'WAKE', facts, now: now.toISOString() } : nudge,
      evidence,
    }),
    render: () => ({ contentType: 'application/json', body: '{}', evidence: [] }),
    ends: (s) => s.status === 'done',
  }, deps);
};
