import type { Db } from '../db/pool.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import { findNoticeDues } from '../payments/find-notice-dues.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { CallControl } from '../telephony/call-control.js';
import { recordCallStep } from './record-call-step.js';
import { RECOVERY_CALL_PATHS, recoveryCallUrl, type RecoveryCallRef } from './recovery-call-paths.js';

/** What placing a recovery call needs (the worker's): the Calls API, our number and where Twilio reaches us. */
export type PlaceRecoveryCallDeps = {
  db: Db;
  clock: Clock;
  calls: CallControl;
  /** PUBLIC_BASE_URL: the call's webhooks are signed for it. */
  publicBaseUrl: string;
  /** The insurer's number (TWILIO_FROM_NUMBER): the call comes from it, and the voicemail gives it to call back. */
  fromNumber: string;
  /** How long the customer's phone rings before the call ends `no-answer` (default 30 s). */
  ringSeconds?: number;
};

/** A recovery step's call: the due, the step, the customer's number (E.164) and language. */
export type RecoveryCallRequest = { dueId: string; stepId: string; to: string; locale: 'en-US' | 'es-US' };

/**
 * Places a recovery step's call from the insurer's number to the customer with asynchronous answering
 * machine detection: a person hears the neutral greeting and its menu (pay with the card on file,
 * a pay link by text, a specialist), a machine is moved to a voicemail with the callback number only.
 * The call placed is evidence on the call's own chain (an outbound `call` interaction); how it ends is
 * reported later through the web process's OnRecoveryCallOutcome port. Throws when the Calls API
 * refuses or cannot be reached (the job retries; nothing was recorded), and, dialling nobody, for an
 * unknown due (PAY_DUE_NOT_FOUND) or one no longer owed (PAY_DUE_ALREADY_PAID, PAY_DUE_NOT_PAYABLE):
 * recovery checks the due first; this is the last guard against calling about a paid premium.
 */
export const placeRecoveryCall = async (
  deps: PlaceRecoveryCallDeps,
  r: RecoveryCallRequest,
): Promise<{ callSid: string }> => {
  const [due] = await findNoticeDues(deps.db, { ids: [r.dueId] });
  if (!due) throw new AppError('PAY_DUE_NOT_FOUND', `no premium due ${r.dueId}`);
  if (due.status === 'paid') throw new AppError('PAY_DUE_ALREADY_PAID', `premium due ${r.dueId} is paid: no recovery call`);
  if (due.status !== 'open' && due.status !== 'failed') throw new AppError('PAY_DUE_NOT_PAYABLE', `premium due ${r.dueId} is ${due.status}: no recovery call`);
  const ref: RecoveryCallRef = { dueId: r.dueId, stepId: r.stepId, locale: r.locale };
  const url = (path: string) => recoveryCallUrl(deps.publicBaseUrl, path, ref);
  const { callSid } = await deps.calls.dialWithAmd({
    to: r.to, from: deps.fromNumber, url: url(RECOVERY_CALL_PATHS.answer), statusCallback: url(RECOVERY_CALL_PATHS.status),
    amdCallback: url(RECOVERY_CALL_PATHS.amd), timeoutSeconds: deps.ringSeconds ?? 30,
  });
  await recordCallStep({ ...deps, dispatch: () => undefined }, { callSid, ref, to: r.to, from: deps.fromNumber, policyId: due.policyId }, async () => ({
    value: undefined,
    step: {
      evidence: [{
        type: EvidenceType.OUTBOUND_SENT, providerRef: callSid,
        payload: { channel: 'voice', purpose: 'recovery-call', dueId: r.dueId, stepId: r.stepId, to: r.to, from: deps.fromNumber, locale: r.locale, machineDetection: 'DetectMessageEnd' },
      }],
    },
  }));
  return { callSid };
};
