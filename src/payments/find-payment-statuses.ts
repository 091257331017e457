import type { Db } from '../db/pool.js';
import { interactionHeadJoin } from '../evidence/interactions.js';
import { chargeDueJob } from '../jobs/contracts/charge-due.job.js';
import { latestJobJoin } from '../jobs/outbox-rows.js';
import { confirmationNumber } from './confirmation-number.js';

export type PaymentStatus = { status: 'pending' | 'succeeded' | 'failed'; confirmation: string | null; reason: string | null };

/** A payment status with the call's evidence chain head read in the same query (the charge job appends to that chain). */
export type PaymentStatusSeen = PaymentStatus & { callHead: { interactionId: string; seq: number; hash: string } | null };

type JobResult = { outcome?: string; attemptId?: string; declineClass?: string } | null;

type Row = {
  key: string; due_status: string; done: boolean | null; result: JobResult; paid_attempt: string | null; call_id: string | null; seq: number | null; hash: string | null;
};

/** The lookup key of one call's charge: the due and the call that asked for it. */
export const paymentStatusKey = (dueId: string, callSid: string): string => `${dueId} ${callSid}`;

/**
 * Where the charge each call asked for stands (keys from paymentStatusKey):
 * paid (by this call or any other channel), pending while the call's charge
 * job has not finished, or what that job reported (the attempt, or the
 * decline class). One query for all the calls polling at the same moment.
 */
export const findPaymentStatuses = async (db: Db, keys: string[]): Promise<Map<string, PaymentStatusSeen>> => {
  // why: the due id (a uuid) never holds a space, so the first one separates it from the CallSid.
  const pairs = keys.map((k) => [k.slice(0, k.indexOf(' ')), k.slice(k.indexOf(' ') + 1)] as const)
    .filter(([due]) => /^[0-9a-f-]{36}$/i.test(due));
  const { rows } = await db.query<Row>(
    `select x.due_id || ' ' || x.call_sid as key, d.status as due_status, j.done, j.result,
            (select id from payment_attempts where due_id = d.id and status = 'succeeded' limit 1) as paid_attempt,
            i.id as call_id, i.evidence_seq as seq, i.evidence_head as hash
       from unnest($1::uuid[], $2::text[]) x(due_id, call_sid)
       join premium_dues d on d.id = x.due_id
       ${interactionHeadJoin('i', { kind: 'call', refExpr: 'x.call_sid' })}
       ${latestJobJoin('j', 'i.id', chargeDueJob.topic)}`,
    [pairs.map(([due]) => due), pairs.map(([, call]) => call)],
  );
  return new Map(rows.map((r) => [r.key, { ...statusOf(r), callHead: r.call_id === null || r.seq === null || r.hash === null ? null : { interactionId: r.call_id, seq: r.seq, hash: r.hash } }]));
};

/** A due we cannot find is reported failed (the caller is offered other ways to pay). */
export const UNKNOWN_DUE_STATUS: PaymentStatusSeen = { status: 'failed', confirmation: null, reason: null, callHead: null };

const statusOf = (r: Row): PaymentStatus => {
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
