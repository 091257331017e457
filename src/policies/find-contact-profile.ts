import type { Queryable } from '../db/pool.js';

/** What the contact engine needs of a policyholder: where they are and how they like to be reached. */
export type ContactProfile = {
  policyholderId: string;
  /** The IANA zone on record; null when the insurer gave none. */
  timeZone: string | null;
  preferredChannel: 'sms' | 'voice' | 'email';
  locale: string;
};

type Row = { id: string; time_zone: string | null; preferred_channel: ContactProfile['preferredChannel']; locale: string };
const toProfile = (r: Row): ContactProfile => ({ policyholderId: r.id, timeZone: r.time_zone, preferredChannel: r.preferred_channel, locale: r.locale });

/**
 * The policyholder a contact is for: by id when the sender knows it, else the one holder whose
 * number this is. Null when the id is unknown, or the number is nobody's or shared by several
 * holders (then the contact is keyed by the number alone).
 */
export const findContactProfile = async (db: Queryable, who: { policyholderId?: string | null; phone: string }): Promise<ContactProfile | null> => {
  if (who.policyholderId) {
    const { rows } = await db.query<Row>('select id, time_zone, preferred_channel, locale from policyholders where id = $1', [who.policyholderId]);
    return rows[0] ? toProfile(rows[0]) : null;
  }
  const { rows } = await db.query<Row>(
    `select ph.id, ph.time_zone, ph.preferred_channel, ph.locale
       from policyholder_phones pp join policyholders ph on ph.id = pp.policyholder_id
      where pp.phone_e164 = $1 limit 2`,
    [who.phone],
  );
  return rows.length === 1 ? toProfile(rows[0]!) : null;
};
