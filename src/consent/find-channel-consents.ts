import type { Queryable } from '../db/pool.js';

export type ChannelConsentState = 'granted' | 'opted-out' | 'none';

/**
 * A number's consent on each channel as the registry holds it now: `none` when nothing was ever
 * recorded for that channel. Read at the moment of contact, never earlier (an opt-out that came
 * while a text waited in the queue must stop it).
 */
export const findChannelConsents = async (db: Queryable, phone: string): Promise<Record<'sms' | 'voice', ChannelConsentState>> => {
  const { rows } = await db.query<{ channel: 'sms' | 'voice'; granted: boolean }>(
    'select channel, granted from consents where phone_e164 = $1',
    [phone],
  );
  const out: Record<'sms' | 'voice', ChannelConsentState> = { sms: 'none', voice: 'none' };
  for (const r of rows) out[r.channel] = r.granted ? 'granted' : 'opted-out';
  return out;
};
