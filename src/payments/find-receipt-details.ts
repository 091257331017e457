import type { Db } from '../db/pool.js';
import type { NumberConsent } from '../sms/choose-consented-number.js';

/** What a receipt for a paid due says, and the numbers it may go to. */
export type ReceiptDetails = {
  /** The number in use on `interactionId` first (inUse), then the holder's (mobile first), each with its SMS consent. */
  numbers: NumberConsent[];
  locale: string;
  amount_cents: number;
  currency: string;
  policy_number: string;
};

/**
 * A due's receipt wording (amount, policy, holder's locale) and the numbers it may be texted to, in
 * one read: the number the customer is using on the interaction (the call's caller ID, or the number
 * called on an outbound call) and the policyholder's numbers, with their SMS consent (see
 * chooseConsentedNumber); without an interaction, the holder's numbers only. Null when the due does not exist.
 */
export const findReceiptDetails = async (db: Db, dueId: string, interactionId: string | null): Promise<ReceiptDetails | null> => {
  const { rows } = await db.query<ReceiptDetails>(
    `select n.numbers, ph.locale, d.amount_cents, d.currency, p.policy_number
       from premium_dues d join policies p on p.id = d.policy_id join policyholders ph on ph.id = p.policyholder_id
       cross join lateral (
         select coalesce(json_agg(json_build_object('to', u.phone, 'inUse', u.rank = 0,
                  'consent', case c.granted when true then 'granted' when false then 'opted-out' else 'none' end) order by u.rank, u.phone), '[]') as numbers
           from (select phone, min(rank) as rank from (
                   select case when i.direction = 'outbound' then i.to_e164 else i.from_e164 end as phone, 0 as rank from interactions i where i.id = $2
                   union all
                   select phone_e164, case when label = 'mobile' then 1 else 2 end from policyholder_phones where policyholder_id = ph.id) all_numbers
                  where phone is not null group by phone) u
           left join consents c on c.phone_e164 = u.phone and c.channel = 'sms') n
      where d.id = $1`,
    [dueId, interactionId],
  );
  return rows[0] ?? null;
};
