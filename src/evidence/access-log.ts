import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import { ensureInteraction } from './interactions.js';
import { appendEvidence } from './append-evidence.js';
import { EvidenceType, type EvidenceTypeName } from './evidence-event.js';

export const EVIDENCE_ACCESSED = EvidenceType.EVIDENCE_ACCESSED;
export const EVIDENCE_EXPORTED = EvidenceType.EVIDENCE_EXPORTED;

/** Who read evidence: an API token (by id and name, never the token), a person signed in to the consoles, or a CLI user. */
export type Actor = { kind: 'api-token' | 'console-user' | 'cli'; id: string; name: string; role: string };

/**
 * Records a read of evidence as evidence: who, what, when. Reads about one
 * policy go to that policy's audit interaction, so they join the policy's
 * chain (and a bundle ends with its own export record); other reads go to the
 * gateway-wide audit interaction. Returns the new event's id.
 */
export const recordAccess = async (
  db: Db,
  clock: Clock,
  a: { actor: Actor; type?: EvidenceTypeName; action: string; policyId?: string | null; details: Record<string, unknown> },
): Promise<string> => {
  const ref = a.policyId ? `evidence-access:policy:${a.policyId}` : 'evidence-access';
  // why: ensureInteraction retries the insert-or-find a concurrent first read needs (the old single statement did not).
  const interactionId = await ensureInteraction(db, { kind: 'audit', providerRef: ref, status: 'active', policyId: a.policyId ?? null }, clock.now());
  const accessId = newId();
  await appendEvidence(db, clock, interactionId, [
    { type: a.type ?? EVIDENCE_ACCESSED, providerRef: accessId, payload: { accessId, actor: a.actor, action: a.action, ...a.details } },
  ]);
  const { rows: ev } = await db.query<{ id: string }>('select id from evidence_events where interaction_id = $1 and provider_ref = $2', [interactionId, accessId]);
  return ev[0]!.id;
};
