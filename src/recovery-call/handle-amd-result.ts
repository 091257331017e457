import type { FastifyBaseLogger } from 'fastify';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { RecoveryCallContext } from './recovery-call-context.js';
import type { RecoveryCallWebDeps } from './recovery-call-deps.js';
import { RECOVERY_CALL_PATHS } from './recovery-call-paths.js';
import { setAnsweredBy, setCallResult } from './recovery-call-store.js';
import { recordCallStep } from './record-call-step.js';

/** What answering machine detection may post (`machine_end_*` only with DetectMessageEnd, which recovery calls use). */
export type AmdResult = { answeredBy: string; durationMs: number | null };

/** What to do with a verdict: leave the voicemail (a machine, after its beep), hang up (a fax), or nothing (a person, or unsure). */
export const amdAction = (answeredBy: string): 'voicemail' | 'hangup' | 'none' =>
  answeredBy.startsWith('machine_') ? 'voicemail' : answeredBy === 'fax' ? 'hangup' : 'none';

/**
 * The asynchronous AMD verdict of a recovery call, recorded as evidence on the call. A machine's call
 * is moved (Calls API redirect) to the voicemail, unless a key was pressed already: a person answered,
 * whatever the late verdict says. A fax is hung up. `human` and `unknown` change nothing: the menu goes on.
 */
export const handleAmdResult = async (deps: RecoveryCallWebDeps, ctx: RecoveryCallContext, amd: AmdResult, log: FastifyBaseLogger): Promise<void> => {
  if (!ctx.due) return;
  const action = amdAction(amd.answeredBy);
  const act = await recordCallStep(deps, ctx.party, async (client) => {
    await setAnsweredBy(client, ctx.party.callSid, amd.answeredBy);
    const changed = action === 'none' ? false : await setCallResult(client, ctx.party.callSid, action === 'voicemail' ? 'voicemail' : 'failed', { byMachineVerdict: true });
    return {
      value: changed ? action : 'none',
      step: {
        evidence: [{
          type: EvidenceType.CALL_STATUS, providerRef: ctx.party.callSid,
          payload: { flow: 'recovery-call', answeredBy: amd.answeredBy, machineDetectionMs: amd.durationMs, action: changed ? action : 'none' },
        }],
      },
    };
  });
  if (act === 'none') return;
  const calls = deps.ports.calls;
  if (!calls) {
    log.warn({ callSid: ctx.party.callSid, answeredBy: amd.answeredBy }, 'recovery call answered by a machine, but no Calls API is wired to the web process: the menu goes on');
    return;
  }
  if (act === 'voicemail') await calls.redirect(ctx.party.callSid, ctx.url(RECOVERY_CALL_PATHS.voicemail));
  else await calls.hangup(ctx.party.callSid);
};
