import { withTransaction, type Db } from '../db/pool.js';
import type { ApiPrincipal } from '../evidence/api-tokens.js';
import { appendEvidenceInTx } from '../evidence/append-in-transaction.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import { ensureInteraction } from '../evidence/interactions.js';
import type { Clock } from '../shared/clock.js';
import type { Availability } from './specialist.js';

export type AvailabilityChange = { id: string; previous: Availability; current: Availability; changed: boolean; changedAt: Date | null };

/**
 * Sets a specialist's availability and records the change as evidence, in one transaction: on the
 * specialist's own 'system' interaction ('specialist-availability:<id>'), who changed it (the token's
 * id, name and role, never the token) and from what to what. Setting the state they are already in
 * changes nothing and records nothing (`changed` false), so a retried PUT is harmless.
 * Null: no such specialist (`id` must be a UUID).
 */
export const updateAvailability = async (
  db: Db, clock: Clock, c: { id: string; state: Availability; actor: Pick<ApiPrincipal, 'id' | 'name' | 'role'> },
): Promise<AvailabilityChange | null> => withTransaction(db, async (client) => {
  const { rows: [row] } = await client.query<{ availability: Availability; availability_changed_at: Date | null }>(
    'select availability, availability_changed_at from retention_specialists where id = $1 for update', [c.id]);
  if (!row) return null;
  if (row.availability === c.state) return { id: c.id, previous: row.availability, current: c.state, changed: false, changedAt: row.availability_changed_at };
  const at = clock.now();
  await client.query('update retention_specialists set availability = $2, availability_changed_at = $3 where id = $1', [c.id, c.state, at]);
  const interactionId = await ensureInteraction(client, { kind: 'system', providerRef: `specialist-availability:${c.id}`, status: 'active' }, at);
  await appendEvidenceInTx(client, interactionId, [{
    type: EvidenceType.SPECIALIST_AVAILABILITY_CHANGED,
    payload: { specialistId: c.id, from: row.availability, to: c.state, actor: { kind: 'api-token', id: c.actor.id, name: c.actor.name, role: c.actor.role } },
  }], at);
  return { id: c.id, previous: row.availability, current: c.state, changed: true, changedAt: at };
});
