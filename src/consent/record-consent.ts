import type { Db } from '../db/pool.js';
import { EvidenceType, type EvidenceDraft } from '../evidence/evidence-event.js';

/**
 * Sets consent for a number and channel, at once (opt-outs are honoured
 * immediately), noting whose number it is when known (`policyholderId`, from
 * policies' findPolicyholdersByPhone). Idempotent: setting what is already set
 * changes nothing and returns null; a change returns the evidence event describing it.
 */
export const recordConsent = async (
  db: Db,
  c: { phone: string; channel: 'sms' | 'voice'; granted: boolean; source: string; at: Date; providerRef?: string; policyholderId: string | null },
): Promise<EvidenceDraft | null> => {
  const { rows } = await db.query<{ changed: boolean }>(
    `insert into consents (phone_e164, channel, granted, source, recorded_at, policyholder_id)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (phone_e164, channel) do update
       set granted = excluded.granted, source = excluded.source, recorded_at = excluded.recorded_at
       where consents.granted is distinct from excluded.granted
     returning true as changed`,
    [c.phone, c.channel, c.granted, c.source, c.at, c.policyholderId],
  );
  if (rows.length === 0) return null;
  return {
    type: EvidenceType.CONSENT_CHANGED,
    providerRef: c.providerRef ?? null,
    payload: { phone: c.phone, channel: c.channel, granted: c.granted, source: c.source, at: c.at.toISOString() },
  };
};
