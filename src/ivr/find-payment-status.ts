import { createHash } from 'node:crypto';
import type { Db } from '../db/pool.js';

export type PaymentStatus = { status: 'pending' | 'succeeded' | 'failed'; confirmation: string | null; reason: string | null };

/**
 * An 8-digit confirmation number for a payment attempt: derived from its id,
 * so every channel (call, text, receipt, specialist screen) reads the same one.
 */
export const confirmationNumber = (attemptId: string): string =>
  (BigInt(`0x${createHash('sha256').update(attemptId).digest('hex').slice(0, 12)}`) % 100_000_000n).toString().padStart(8, '0');

/**
 * Where the charge this call asked for stands: paid (by this call or any
 * other channel), pending while the call's charge job has not finished, or
 * the outcome of the attempt that job made (with its decline class).
 */
export const findPaymentStatus = async (db: Db, dueId: string, callSid: string): Promise<PaymentStatus> => {
  const { rows } = await db.query<{
    due_status: string;
    job_done: boolean | null;
    id: string | null;
    status: string | null;
    decline_class: string | null;
  }>(
    `select d.status as due_status, j.done as job_done, a.id, a.status, a.decline_class
       from premium_dues d
       left join lateral (
         select o.completed_at is not null as done from outbox o join interactions i on i.id = o.interaction_id
          where i.kind = 'call' and i.provider_ref = $2 and o.topic = 'payments.charge-due'
          order by o.created_at desc limit 1) j on true
       left join lateral (select id, status, decline_class from payment_attempts where due_id = d.id
                          order by (status = 'succeeded') desc, created_at desc limit 1) a on true
      where d.id = $1`,
    [dueId, callSid],
  );
  const r = rows[0];
  if (!r) return { status: 'failed', confirmation: null, reason: null };
  if (r.due_status === 'paid' || r.status === 'succeeded') {
    return { status: 'succeeded', confirmation: r.id ? confirmationNumber(r.id) : null, reason: null };
  }
  if (!r.job_done) return { status: 'pending', confirmation: null, reason: null };
  if (r.status === 'failed') return { status: 'failed', confirmation: null, reason: r.decline_class };
  return { status: 'pending', confirmation: null, reason: null };
};
