import type { Db } from '../db/pool.js';

/**
 * Records a webhook that has no turn (a status callback, <Pay> progress) under
 * its provider identity; true the first time, false for a provider's retry,
 * which then changes nothing. The turn engine owns `webhook_receipts`: turns
 * store their answers there, these store an empty one.
 */
export const recordWebhookOnce = async (db: Db, dedupeKey: string, at: Date, contentType = 'text/plain'): Promise<boolean> => {
  const r = await db.query(
    `insert into webhook_receipts (dedupe_key, content_type, response_body, created_at) values ($1, $2, '', $3)
     on conflict do nothing`,
    [dedupeKey, contentType, at],
  );
  return r.rowCount !== 0;
};
