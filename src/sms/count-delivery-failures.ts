import type { Queryable } from '../db/pool.js';
import { classifyDeliveryError, type DeliveryFailureClass } from './classify-delivery-error.js';

/** Texts the carrier could not deliver, by its error code, with the class the code falls in. */
export type DeliveryFailureCount = { errorCode: number | null; failure: DeliveryFailureClass | 'no-code'; count: number };

/**
 * Texts whose delivery failed for good (status failed or undelivered) with their last status in
 * [from, to), by the carrier's error code, most frequent first (then by code).
 */
export const countDeliveryFailures = async (db: Queryable, w: { from: Date; to: Date }): Promise<DeliveryFailureCount[]> => {
  const { rows } = await db.query<{ code: number | null; count: number }>(
    `select error_code as code, count(*)::int as count from sms_messages
      where status in ('failed', 'undelivered') and updated_at >= $1 and updated_at < $2
      group by error_code order by count(*) desc, error_code nulls last`,
    [w.from, w.to],
  );
  return rows.map((r) => ({ errorCode: r.code, failure: classifyDeliveryError(r.code)?.failure ?? 'no-code', count: r.count }));
};
