import type { DbClient } from '../db/pool.js';
import { newId } from '../shared/ids.js';
import { joinPolicyByNumberSql, joinPolicySql } from '../policies/policy-join-sql.js';

/** The open due an import states for a policy (by number). */
export type DueInput = { policyNumber: string; dueDate: string; amountCents: number; currency: string };

/**
 * Writes the open due for each policy's next due date inside the caller's transaction (one
 * statement). An existing due is corrected only while still open: a paid or failed due is history.
 * Returns the policy numbers whose due was inserted or changed.
 */
export const writeDuesBatch = async (client: DbClient, dues: readonly DueInput[], now: Date): Promise<Set<string>> => {
  if (!dues.length) return new Set<string>();
  const { rows } = await client.query<{ k: string }>(
    `with w as (
       insert into premium_dues (id, policy_id, due_date, amount_cents, currency, status, created_at)
       select u.id, p.id, u.due, u.amount, u.currency, 'open', $6::timestamptz
         from unnest($1::uuid[], $2::text[], $3::date[], $4::bigint[], $5::text[]) as u(id, num, due, amount, currency)
         ${joinPolicyByNumberSql('p', 'u.num')}
       on conflict (policy_id, due_date) do update set amount_cents = excluded.amount_cents, currency = excluded.currency
        where premium_dues.status = 'open'
          and (premium_dues.amount_cents, premium_dues.currency) is distinct from (excluded.amount_cents, excluded.currency)
       returning policy_id)
     select p.policy_number as k from w ${joinPolicySql('p', 'w.policy_id')}`,
    [dues.map(() => newId()), dues.map((d) => d.policyNumber), dues.map((d) => d.dueDate), dues.map((d) => d.amountCents), dues.map((d) => d.currency), now],
  );
  return new Set(rows.map((r) => r.k));
};
