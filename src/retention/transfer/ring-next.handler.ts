import { EvidenceType, type EvidenceDraft } from '../../evidence/evidence-event.js';
import type { JobHandler } from '../../jobs/job-registry.js';
import { outboxRow } from '../../jobs/outbox-rows.js';
import { findCandidates } from '../find-candidates.js';
import { markOffered } from '../mark-offered.js';
import { legDeadlineMs } from './transfer-deps.js';
import { ringNextJob, ringTimeoutJob } from './transfer-jobs.js';
import { legUrl, TRANSFER_PATHS } from './transfer-paths.js';
import { addLeg, findTransfer, legsOf, moveLeg, moveTransfer, OPEN_LEG, specialistsOnTransfers } from './transfer-store.js';
import type { TransferWorkerDeps } from './transfer-worker-deps.js';
import { returnUrlOf } from './return-url.js';
import { endCallbackAttempt } from '../callbacks/end-callback-attempt.js';
import type { Transfer } from './transfer-store.js';

/**
 * Rings the next specialist for a caller still on hold: the best one not yet tried and not on another
 * transfer (their language first, then whoever was offered a call longest ago), with a deadline job
 * that passes them over if they have not accepted in time. With nobody left, the transfer ends as
 * "no specialist" and the caller is moved out of the hold, back to their flow (which offers a callback);
 * a callback's attempt that nobody takes is missed (retried once, then reported).
 * A repeated run while a leg is still open does nothing: one specialist is rung at a time.
 */
export const createRingNextHandler =
  (deps: TransferWorkerDeps): JobHandler<typeof ringNextJob> =>
  async (job) => {
    const now = deps.clock.now();
    const t = await findTransfer(deps.db, { id: job.payload.transferId });
    if (!t) return { evidence: [] };
    if (t.status === 'no-specialist' && job.attempt > 1) return releaseCaller(deps, t, []);
    if (t.status !== 'ringing') return { evidence: [] };
    const legs = await legsOf(deps.db, t.id);
    if (legs.some((l) => OPEN_LEG.includes(l.status))) return { evidence: [] };

    const busy = await specialistsOnTransfers(deps.db);
    const candidates = await findCandidates(deps.db, {
      callerLocale: t.locale, now, defaultHours: deps.defaultHours, tried: [...legs.map((l) => l.specialistId), ...busy],
    });
    for (const s of candidates) {
      const leg = await addLeg(deps.db, t.id, s.id, now);
      if (!leg) continue;
      await markOffered(deps.db, s.id, now);
      const base = deps.publicBaseUrl;
      try {
        const { callSid } = await deps.calls.dial({
          to: s.phone, from: deps.fromNumber, url: `${base}${legUrl(TRANSFER_PATHS.whisper, leg.id)}`,
          statusCallback: `${base}${legUrl(TRANSFER_PATHS.legStatus, leg.id)}`, timeoutSeconds: deps.timings.ringSeconds,
        });
        await moveLeg(deps.db, leg.id, ['dialing'], 'dialing', now, callSid);
        return {
          evidence: [{
            type: EvidenceType.TRANSFER_LEG, providerRef: t.callerCallSid,
            payload: { transferId: t.id, legId: leg.id, specialistId: s.id, specialist: s.name, languages: s.languages, status: 'dialing', callSid, attempt: legs.length + 1 },
          }],
          outbox: [outboxRow(ringTimeoutJob, { legId: leg.id }, { runAt: new Date(now.getTime() + legDeadlineMs(deps.timings)), correlation: `transfer:${t.id}` })],
        };
      } catch (err) {
        // why: a number the carrier refuses (invalid, unreachable) fails this leg, not the transfer.
        if (typeof (err as { status?: number }).status !== 'number' || (err as { status: number }).status >= 500) {
          await deps.db.query('delete from transfer_legs where id = $1 and call_sid is null', [leg.id]);
          throw err;
        }
        await moveLeg(deps.db, leg.id, ['dialing'], 'failed', now);
        return {
          evidence: [{ type: EvidenceType.TRANSFER_LEG, providerRef: t.callerCallSid, payload: { transferId: t.id, legId: leg.id, specialistId: s.id, status: 'failed', error: (err as Error).message } }],
          outbox: [outboxRow(ringNextJob, { transferId: t.id }, { runAt: now, correlation: `transfer:${t.id}` })],
        };
      }
    }
    if (!(await moveTransfer(deps.db, t.id, ['ringing'], 'no-specialist', now))) return { evidence: [] };
    return releaseCaller(deps, t, [{
      type: EvidenceType.TRANSFER_OUTCOME, providerRef: t.callerCallSid,
      payload: { transferId: t.id, outcome: 'no-specialist', rung: legs.length, waitedSeconds: Math.round((now.getTime() - t.requestedAt.getTime()) / 1000) },
    }]);
  };

/** Moves the caller out of the hold back to their flow (a caller already gone is no error); a callback's attempt is missed. */
const releaseCaller = async (deps: TransferWorkerDeps, t: Transfer, evidence: EvidenceDraft[]) => {
  if (t.flow === 'callback') {
    const missed = await endCallbackAttempt(deps.db, t, { reached: false, outcome: 'no-specialist', signal: 'no specialist took it' }, deps.clock.now(), deps.callbackRules);
    return { evidence: [...evidence, ...missed.evidence], outbox: missed.outbox };
  }
  const url = await returnUrlOf(deps.db, t);
  if (url) await deps.calls.redirect(t.callerCallSid, `${deps.publicBaseUrl}${url}`);
  return { evidence };
};
