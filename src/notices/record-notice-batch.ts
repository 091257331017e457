import type { Db } from '../db/pool.js';
import type { ApiPrincipal } from '../evidence/api-tokens.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import { ensureInteraction } from '../evidence/interactions.js';
import type { Clock } from '../shared/clock.js';

/**
 * Records an operator's batch as evidence on the gateway-wide 'notice-batches' audit interaction:
 * who asked (the token's id, name and role, never the token), for which notice, the batch id, and
 * how many were queued and left out. Each notice's own chain then shows what became of it.
 */
export const recordNoticeBatch = async (
  db: Db,
  clock: Clock,
  b: { actor: ApiPrincipal; batchId: string; notice: string; queued: number; rejected: number },
): Promise<void> => {
  const interactionId = await ensureInteraction(db, { kind: 'audit', providerRef: 'notice-batches', status: 'active' }, clock.now());
  await appendEvidence(db, clock, interactionId, [{
    type: EvidenceType.NOTICE_BATCH_QUEUED,
    providerRef: b.batchId,
    payload: { batchId: b.batchId, notice: b.notice, queued: b.queued, rejected: b.rejected, actor: { kind: 'api-token', id: b.actor.id, name: b.actor.name, role: b.actor.role } },
  }]);
};
