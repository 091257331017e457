import type { Db } from '../db/pool.js';
import { EvidenceType, type EvidenceTypeName } from '../evidence/evidence-event.js';
import { latestEventTypes } from '../evidence/latest-event-types.js';
import { findOutboxStates } from '../jobs/find-outbox-states.js';
import { AppError } from '../shared/app-error.js';

/** Where a batch's notices stand, counted by state. */
export type NoticeBatchStatus = {
  batchId: string;
  total: number;
  /** Waiting for their time (spread by the sender's rate), not yet tried. */
  queued: number;
  /** Tried and held back by the contact engine (quiet hours, a cap, the sender's rate): they will go. */
  deferred: number;
  sent: number;
  /** Not sent by the contact engine's decision (no consent, opted out). */
  suppressed: number;
  /** Refused by the carrier for good, or finished without any outcome recorded. */
  failed: number;
  /** Cancelled before running: the due they were about was paid. */
  cancelled: number;
  /** Ran and found nothing left to say (due paid meanwhile, policy changed, no number): notice.skipped. */
  skipped: number;
};

const OUTCOME: Partial<Record<EvidenceTypeName, 'sent' | 'suppressed' | 'failed' | 'skipped' | 'deferred'>> = {
  [EvidenceType.OUTBOUND_SENT]: 'sent',
  [EvidenceType.OUTBOUND_SUPPRESSED]: 'suppressed',
  [EvidenceType.OUTBOUND_FAILED]: 'failed',
  [EvidenceType.NOTICE_SKIPPED]: 'skipped',
  [EvidenceType.CONTACT_DEFERRED]: 'deferred',
};

/**
 * A batch's counts by state, from each notice's outbox row (jobs) and the latest outcome on its
 * interaction's evidence chain (evidence). Throws NTC_BATCH_NOT_FOUND for a batch with no notices.
 */
export const noticeBatchStatus = async (db: Db, batchId: string): Promise<NoticeBatchStatus> => {
  const { rows } = await db.query<{ outbox_id: string; interaction_id: string }>(
    'select outbox_id, interaction_id from notice_jobs where batch_id = $1', [batchId],
  );
  if (rows.length === 0) throw new AppError('NTC_BATCH_NOT_FOUND', `no notice batch ${batchId}`);
  const [states, outcomes] = await Promise.all([
    findOutboxStates(db, rows.map((r) => r.outbox_id)),
    latestEventTypes(db, rows.map((r) => r.interaction_id), Object.keys(OUTCOME) as EvidenceTypeName[]),
  ]);
  const counts: NoticeBatchStatus = { batchId, total: rows.length, queued: 0, deferred: 0, sent: 0, suppressed: 0, failed: 0, cancelled: 0, skipped: 0 };
  for (const r of rows) {
    const state = states.get(r.outbox_id);
    const outcome = OUTCOME[outcomes.get(r.interaction_id) ?? EvidenceType.OUTBOUND_QUEUED];
    if (state === 'cancelled') counts.cancelled++;
    else if (state === 'completed') counts[outcome && outcome !== 'deferred' ? outcome : 'failed']++;
    else counts[outcome === 'deferred' ? 'deferred' : 'queued']++;
  }
  return counts;
};
