import type { Queryable } from '../db/pool.js';
import type { CardAttempt } from './card-retry-limits.js';
import { classifyDecline, type DeclineVerdict } from './classify-decline.js';
import { joinPolicySql } from '../policies/policy-join-sql.js';

/** What failed-debit recovery needs of a due: the amount, whether and when it was paid, the failure and the card's history. */
export type RecoveryDue = {
  dueId: string;
  policyId: string;
  policyholderId: string;
  policyNumber: string;
  dueDate: string;
  amountCents: number;
  currency: string;
  status: 'open' | 'paid' | 'failed' | 'waived' | 'void';
  paidAt: Date | null;
  /** The channel of the payment that paid it (ivr, sms, sms-link, retry, debit-run...); null while unpaid. */
  paidChannel: string | null;
  /** The due's failed charges: when the first failed (recovery counts its days from it), the latest one's verdict, and the first one's channel ('import': the insurer's billing debits it); null when none. */
  failure: { firstAt: Date; verdict: DeclineVerdict; channel: string } | null;
  /** The card that failed: its network and every charge made on it, for the card networks' retry caps. */
  card: { network: string | null; attempts: CardAttempt[] };
};

type Row = {
  id: string; policy_id: string; policyholder_id: string; policy_number: string; due_date: string; amount_cents: string; currency: string;
  status: RecoveryDue['status']; paid_at: Date | null;
  first_failed_at: Date | null;
  first_channel: string | null;
  paid_channel: string | null;
  failed: { at: string; decline_code: string | null; advice_code: string | null; network_decline_code: string | null; network_advice_code: string | null; brand: string | null; pm: string | null } | null;
  history: { at: string; status: CardAttempt['status']; declineClass: CardAttempt['declineClass'] }[];
};

/** A due as recovery sees it, read in one statement; null for an unknown due. */
export const findRecoveryDue = async (db: Queryable, dueId: string): Promise<RecoveryDue | null> => {
  const { rows: [r] } = await db.query<Row>(
    `with f as (
       select created_at as at, decline_code, advice_code, network_decline_code, network_advice_code, card_brand as brand, provider_payment_method_id as pm
         from payment_attempts where due_id = $1 and status = 'failed' order by created_at desc, attempt_no desc limit 1)
     select d.id, d.policy_id, p.policyholder_id, p.policy_number, d.due_date::text, d.amount_cents, d.currency, d.status, d.paid_at,
            (select row_to_json(f) from f) as failed,
            (select min(created_at) from payment_attempts where due_id = $1 and status = 'failed') as first_failed_at,
            (select channel from payment_attempts where due_id = $1 and status = 'failed' order by created_at, attempt_no limit 1) as first_channel,
            (select channel from payment_attempts where due_id = $1 and status = 'succeeded' and duplicate_of is null order by created_at limit 1) as paid_channel,
            (select coalesce(json_agg(json_build_object('at', a.created_at, 'status', a.status, 'declineClass', a.decline_class) order by a.created_at), '[]')
               from payment_attempts a where a.provider_payment_method_id = (select pm from f)) as history
       from premium_dues d ${joinPolicySql('p', 'd.policy_id')} where d.id = $1`,
    [dueId],
  );
  if (!r) return null;
  const f = r.failed;
  return {
    dueId: r.id, policyId: r.policy_id, policyholderId: r.policyholder_id, policyNumber: r.policy_number, dueDate: r.due_date,
    amountCents: Number(r.amount_cents), currency: r.currency, status: r.status, paidAt: r.paid_at, paidChannel: r.paid_channel,
    failure: f ? {
      firstAt: r.first_failed_at ?? new Date(f.at), channel: r.first_channel ?? 'unknown',
      verdict: classifyDecline({ declineCode: f.decline_code, adviceCode: f.advice_code, networkDeclineCode: f.network_decline_code, networkAdviceCode: f.network_advice_code }),
    } : null,
    card: { network: f?.brand ?? null, attempts: r.history.map((h) => ({ at: new Date(h.at), status: h.status, declineClass: h.declineClass })) },
  };
};
