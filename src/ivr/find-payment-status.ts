import { createHash } from 'node:crypto';
import type { Db } from '../db/pool.js';

export type PaymentStatus = { status: 'pending' | 'succeeded' | 'failed'; confirmation: string | null; reason: string | null };

/**
 * An 8-digit confirmation number for a payment attempt: derived from its id,
 * so every channel (call, text, receipt, specialist screen) reads the same one.
 */
export const confirmationNumber = (attemptId: string): string =>
  (BigInt(`0x${createHash('sha256').update(attemptId).digest('hex').slice(0, 12)}`) % 100_000_000n).toString().padStart(8, '0');

type JobResult = { outcome?: string; attemptId?: string; declineClass?: string } | null;

/**
 * Where the charge this call asked for stands: paid (by this call or any
 * other channel), pending while the call's charge job has not finished, or
 * what that job reported (the attempt, or the decline class).
 */
export const findPaymentStatus = async (db: Db, dueId: string, callSid: string): Promise<PaymentStatus> => {
  const { rows } = await db.query<{ due_status: string; done: boolean | null; result: JobResult; paid_attempt: string | null }>(
    `select d.status as due_status, j.done, j.result,
            (select id from payment_attempts where due_id = d.id and status = 'succeeded' limit 1) as paid_attempt
       from premium_dues d
       left join lateral (
         select o.completed_at is not null as done, o.result from outbox o join interactions i on i.id = o.interaction_id
          where i.kind = 'call' and i.provider_ref = $2 and o.topic = 'payments.charge-due'
          order by o.created_at desc limit 1) j on true
      where d.id = $1`,
    [dueId, callSid],
  );
  const r = rows[0];
  if (!r) return { status: 'failed', confirmation: null, reason: null };
  const attempt = r.result?.attemptId ?? r.paid_attempt;
  if (r.due_status === 'paid' || r.paid_attempt) {
    return { status: 'succeeded', confirmation: attempt ? confirmationNumber(attempt) : null, reason: null };
  }
  if (!r.done) return { status: 'pending', confirmation: null, reason: null };
  const outcome = r.result?.outcome;
  if (outcome === 'failed' || outcome === 'blocked') {
    return { status: 'failed', confirmation: null, reason: r.result?.declineClass ?? null };
  }
  return { status: 'pending', confirmation: null, reason: null };
};
