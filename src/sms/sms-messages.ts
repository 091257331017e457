import type { Queryable } from '../db/pool.js';
import type { SmsSegments } from '../telephony/count-segments.js';

/** Delivery states in the order a text moves through them; the last three are final. */
const RANK = new Map(Object.entries({ accepted: 0, queued: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3, read: 4 }));

/**
 * The rank of a state, for the forward-only rule (unknown states rank lowest: they never overwrite).
 * A Map, not an object: a status named "toString" found Object.prototype's function (the fuzz suite's find).
 */
export const statusRank = (status: string): number => RANK.get(status) ?? -1;

const rankOf = (expr: string) => `(case ${expr} ${[...RANK].map(([st, r]) => `when '${st}' then ${r}`).join(' ')} else -1 end)`;

/**
 * Records a text the carrier took (or one an earlier run had sent, found again). Idempotent on its
 * id; a delivery callback that came first keeps its (further) state, the rest is filled in.
 */
export const recordSentSms = async (
  db: Queryable,
  m: { providerSid: string; interactionId: string | null; outboxId: string | null; to: string; from: string; counted: SmsSegments; status: string; at: Date },
): Promise<void> => {
  await db.query(
    `insert into sms_messages as m (provider_sid, interaction_id, outbox_id, to_e164, from_e164, encoding, segments, status, sent_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
     on conflict (provider_sid) do update set
       interaction_id = coalesce(m.interaction_id, excluded.interaction_id), outbox_id = coalesce(m.outbox_id, excluded.outbox_id),
       to_e164 = excluded.to_e164, from_e164 = excluded.from_e164, encoding = excluded.encoding, segments = excluded.segments,
       sent_at = excluded.sent_at,
       status = case when ${rankOf('excluded.status')} > ${rankOf('m.status')} then excluded.status else m.status end`,
    [m.providerSid, m.interactionId, m.outboxId, m.to, m.from, m.counted.encoding, m.counted.segments, m.status, m.at],
  );
};

/**
 * Applies a delivery callback: the state moves only forward (a late "sent" after "delivered" changes
 * nothing). A callback ahead of the sender's record creates the row, with the interaction the caller
 * found for it. Returns the text's interaction and whether the state moved.
 */
export const advanceSmsStatus = async (
  db: Queryable,
  u: { providerSid: string; status: string; errorCode: number | null; at: Date; interactionId: string | null; to: string | null; from: string | null },
): Promise<{ interactionId: string | null; moved: boolean }> => {
  const { rows } = await db.query<{ interaction_id: string | null; moved: boolean }>(
    `with prev as (select status from sms_messages where provider_sid = $1)
     insert into sms_messages as m (provider_sid, interaction_id, to_e164, from_e164, status, error_code, updated_at)
     values ($1, $6, $7, $8, $2, $3, $4)
     on conflict (provider_sid) do update set
       status = case when $5::int > ${rankOf('m.status')} then excluded.status else m.status end,
       error_code = coalesce(excluded.error_code, m.error_code),
       interaction_id = coalesce(m.interaction_id, excluded.interaction_id),
       updated_at = excluded.updated_at
     returning m.interaction_id, (select status from prev) is null or $5::int > ${rankOf('(select status from prev)')} as moved`,
    [u.providerSid, u.status, u.errorCode, u.at, statusRank(u.status), u.interactionId, u.to, u.from],
  );
  return { interactionId: rows[0]!.interaction_id, moved: rows[0]!.moved };
};
