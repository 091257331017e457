import type { Db } from '../db/pool.js';

/**
 * Sets consent for a number and channel, at once (opt-outs are honoured
 * immediately), noting whose number it is when known (`policyholderId`, from
 * policies' findPolicyholdersByPhone). Idempotent: setting what is already set
 * changes nothing and returns false; a change returns true (the caller records it as evidence).
 */
export const recordConsent = async (
  db: Db,
  c: { phone: string; channel: 'sms' | 'voice'; granted: boolean; source: string; at: Date; policyholderId: string | null },
): Promise<boolean> => {
  const { rows } = await db.query<{ changed: boolean }>(
    `insert into consents (phone_e164, channel, granted, source, recorded_at, policyholder_id)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (phone_e164, channel) do update
       set granted = excluded.granted, source = excluded.source, recorded_at = excluded.recorded_at
       where consents.granted is distinct from excluded.granted
     returning true as changed`,
    [c.phone, c.channel, c.granted, c.source, c.at, c.policyholderId],
  );
  return rows.length > 0;
};
