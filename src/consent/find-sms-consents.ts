import type { Queryable } from '../db/pool.js';

/**
 * The SMS consent recorded for each number (E.164): true granted, false opted out; a number with
 * no record is absent. One query for any number of numbers.
 */
export const findSmsConsents = async (db: Queryable, phones: readonly string[]): Promise<Map<string, boolean>> => {
  if (phones.length === 0) return new Map();
  const { rows } = await db.query<{ phone_e164: string; granted: boolean }>(
    `select phone_e164, granted from consents where phone_e164 = any($1::text[]) and channel = 'sms'`,
    [phones],
  );
  return new Map(rows.map((r) => [r.phone_e164, r.granted]));
};
