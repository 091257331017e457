import { EvidenceType, type EvidenceDraft } from '../../evidence/evidence-event.js';
import { outboxRow } from '../../jobs/outbox-rows.js';
import { abandonTransfer } from './abandon-transfer.js';
import { recordTransferStep } from './record-transfer-step.js';
import type { TransferWebDeps } from './transfer-deps.js';
import { ringNextJob } from './transfer-jobs.js';
import { findLeg, findTransfer, moveLeg, moveTransfer, OPEN_LEG, type LegStatus } from './transfer-store.js';

/** Twilio's final call statuses, as a leg's end. */
const ENDED: Record<string, LegStatus> = { busy: 'busy', 'no-answer': 'no-answer', failed: 'failed', canceled: 'cancelled' };

export type LegStatusCallback = { CallSid: string; CallStatus: string; SequenceNumber?: number | undefined; Timestamp?: string | undefined; CallDuration?: number | undefined };

/**
 * A status callback of a specialist's call (initiated, ringing, answered, completed; busy, no-answer,
 * failed, canceled), each one evidence as received. A leg still open that ends (not picked up, busy,
 * hung up during the whisper) moves the transfer on to the next specialist; a callback arriving late,
 * twice or out of order changes nothing (legs only move forward).
 */
export const handleLegStatus = async (deps: TransferWebDeps, legId: string, p: LegStatusCallback): Promise<void> => {
  const leg = await findLeg(deps.db, legId);
  const t = leg ? await findTransfer(deps.db, { id: leg.transferId }) : null;
  if (!leg || !t) return;
  await recordTransferStep(deps, t, async (client) => {
    const now = deps.clock.now();
    await findTransfer(client, { id: t.id }, { lock: true });
    const received = {
      type: EvidenceType.TRANSFER_LEG, providerRef: t.callerCallSid,
      payload: { transferId: t.id, legId, specialistId: leg.specialistId, callSid: p.CallSid, callStatus: p.CallStatus, sequence: p.SequenceNumber ?? null, duration: p.CallDuration ?? null },
    };
    let to: LegStatus | null = null;
    if (p.CallStatus === 'ringing') {
      await moveLeg(client, legId, ['dialing'], 'ringing', now, p.CallSid);
    } else if (ENDED[p.CallStatus]) {
      to = ENDED[p.CallStatus]!;
    } else if (p.CallStatus === 'completed') {
      // Picked up but hung up before pressing a key is a decline; a bridged call ending is just its end.
      const current = await findLeg(client, legId);
      if (current?.status === 'accepted') await moveLeg(client, legId, ['accepted'], 'completed', now);
      else to = current?.status === 'answered' ? 'declined' : 'no-answer';
    }
    const moved = to !== null && (await moveLeg(client, legId, OPEN_LEG, to, now, p.CallSid));
    return {
      value: null,
      step: { evidence: [received], outbox: moved ? [outboxRow(ringNextJob, { transferId: t.id }, { runAt: now, correlation: `transfer:${t.id}` })] : [] },
    };
  });
};

export type ConferenceCallback = {
  ConferenceSid: string;
  FriendlyName: string;
  StatusCallbackEvent: string;
  CallSid?: string | undefined;
  SequenceNumber?: number | undefined;
  Timestamp?: string | undefined;
  ParticipantLabel?: string | undefined;
};

/**
 * A status callback of a transfer's conference, each one evidence as received. The caller leaving
 * (or the conference ending) while the transfer still rings is the caller hanging up on hold: the
 * transfer is abandoned and the specialist being rung is hung up. The conference ending after a
 * bridge ends the transfer. Repeated and reordered callbacks change nothing twice.
 */
export const handleConferenceStatus = async (deps: TransferWebDeps, p: ConferenceCallback): Promise<void> => {
  const t = await findTransfer(deps.db, { conferenceName: p.FriendlyName });
  if (!t) return;
  const callerLeft = p.StatusCallbackEvent === 'participant-leave' && p.CallSid === t.callerCallSid;
  const ended = p.StatusCallbackEvent === 'conference-end';
  await recordTransferStep(deps, t, async (client) => {
    const now = deps.clock.now();
    const closed = ended && (await moveTransfer(client, t.id, ['bridged'], 'ended', now));
    const evidence: EvidenceDraft[] = [{
      type: EvidenceType.TRANSFER_CONFERENCE, providerRef: t.callerCallSid,
      payload: { transferId: t.id, conferenceSid: p.ConferenceSid, event: p.StatusCallbackEvent, callSid: p.CallSid ?? null, label: p.ParticipantLabel ?? null, sequence: p.SequenceNumber ?? null },
    }];
    if (closed) evidence.push({ type: EvidenceType.TRANSFER_OUTCOME, providerRef: t.callerCallSid, payload: { transferId: t.id, outcome: 'ended', signal: 'conference ended' } });
    return { value: null, step: { evidence } };
  });
  if ((callerLeft || ended) && t.status === 'ringing') await abandonTransfer(deps, t, `caller left the hold (${p.StatusCallbackEvent})`);
};
