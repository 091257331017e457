import type { Queryable } from '../db/pool.js';
import type { SmsSegments } from '../telephony/count-segments.js';

/** Delivery states in the order a text moves through them; the last three are final. */
const RANK: Record<string, number> = { accepted: 0, queued: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3, read: 4 };

/** The rank of a state, for the forward-only rule (unknown states rank lowest: they never overwrite). */
export const statusRank = (status: string): number => RANK[status] ?? -1;

/** Records a text the carrier took (or one an earlier run had sent, found again): idempotent on its id. */
export const recordSentSms = async (
  db: Queryable,
  m: { providerSid: string; interactionId: string | null; outboxId: string | null; to: string; from: string; counted: SmsSegments; status: string; at: Date },
): Promise<void> => {
  await db.query(
    `insert into sms_messages (provider_sid, interaction_id, outbox_id, to_e164, from_e164, encoding, segments, status, sent_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) on conflict (provider_sid) do nothing`,
    [m.providerSid, m.interactionId, m.outboxId, m.to, m.from, m.counted.encoding, m.counted.segments, m.status, m.at],
  );
};

/**
 * Applies a delivery callback: the state moves only forward (a late "sent" after "delivered" changes
 * nothing). Returns the text's interaction (null when we have no record of the text) and whether
 * the state moved.
 */
export const advanceSmsStatus = async (
  db: Queryable,
  u: { providerSid: string; status: string; errorCode: number | null; at: Date },
): Promise<{ interactionId: string | null; moved: boolean } | null> => {
  const { rows } = await db.query<{ interaction_id: string | null; moved: boolean }>(
    `with cur as (select provider_sid, interaction_id, status from sms_messages where provider_sid = $1 for update),
          up as (update sms_messages m set status = $2, error_code = coalesce($3, m.error_code), updated_at = $4
                   from cur where m.provider_sid = cur.provider_sid and $5::int > (case cur.status ${rankCases()} else -1 end)
                 returning m.provider_sid)
     select cur.interaction_id, exists (select 1 from up) as moved from cur`,
    [u.providerSid, u.status, u.errorCode, u.at, statusRank(u.status)],
  );
  const row = rows[0];
  return row ? { interactionId: row.interaction_id, moved: row.moved } : null;
};

const rankCases = () => Object.entries(RANK).map(([s, r]) => `when '${s}' then ${r}`).join(' ');
