import type { DbClient } from '../db/pool.js';

/** A consent answer as an import states it, for a policyholder's number. */
export type ConsentInput = { policyholderId: string; phone: string; channel: 'sms' | 'voice'; granted: boolean; source: string; at: Date | null };

/**
 * Writes a batch of consent answers inside the caller's transaction (one statement). Consent is
 * legal evidence, so a file does not simply overwrite it: a number with no consent row gets the
 * file's answer; a stored answer is replaced only by a newer, different one. A revocation without a
 * time is dated now (revoking is always safe); a grant over a stored revocation needs an explicit,
 * later time (a re-run of an old export must not undo a STOP texted since). Returns the
 * policyholders whose consent changed.
 */
export const writeConsentsBatch = async (client: DbClient, consents: readonly ConsentInput[], now: Date): Promise<Set<string>> => {
  if (!consents.length) return new Set<string>();
  const { rows } = await client.query<{ k: string }>(
    `with w as (
       insert into consents (phone_e164, channel, granted, source, recorded_at, policyholder_id)
       select u.phone, u.channel, u.granted, u.source, coalesce(u.at, $7::timestamptz), u.holder
         from unnest($1::uuid[], $2::text[], $3::text[], $4::bool[], $5::text[], $6::timestamptz[])
              as u(holder, phone, channel, granted, source, at)
         left join consents c on c.phone_e164 = u.phone and c.channel = u.channel
        where c.phone_e164 is null
           or (c.granted <> u.granted and coalesce(u.at, $7::timestamptz) > c.recorded_at
               and (not u.granted or u.at is not null))
       on conflict (phone_e164, channel) do update set granted = excluded.granted, source = excluded.source,
          recorded_at = excluded.recorded_at, policyholder_id = excluded.policyholder_id
       returning policyholder_id)
     select distinct policyholder_id as k from w`,
    [
      consents.map((c) => c.policyholderId), consents.map((c) => c.phone), consents.map((c) => c.channel),
      consents.map((c) => c.granted), consents.map((c) => c.source), consents.map((c) => c.at), now,
    ],
  );
  return new Set(rows.map((r) => r.k));
};
