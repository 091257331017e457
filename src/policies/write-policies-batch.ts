import type { DbClient } from '../db/pool.js';
import { newIds } from './write-policyholders-batch.js';

/** A policy as an import writes it; its holder by the insurer's customer id. */
export type PolicyInput = {
  policyNumber: string;
  customerId: string;
  product: string;
  coverageTier: string;
  sumInsuredCents: number;
  premiumCents: number;
  currency: string;
  billingFrequency: string;
  nextDueDate: string | null;
  paidToDate: string | null;
  status: string;
};

/** For each of these policy numbers already stored, its holder's external ref (moving policies between holders is not an import's call). */
export const findPolicyOwners = async (client: DbClient, policyNumbers: readonly string[]): Promise<Map<string, string>> => {
  const { rows } = await client.query<{ policy_number: string; external_ref: string }>(
    `select p.policy_number, h.external_ref from policies p join policyholders h on h.id = p.policyholder_id
      where p.policy_number = any($1::text[])`,
    [policyNumbers],
  );
  return new Map(rows.map((r) => [r.policy_number, r.external_ref]));
};

/**
 * Inserts or updates policies inside the caller's transaction (one statement); rows that already
 * match are left untouched. Returns the policy numbers inserted and those updated.
 */
export const writePoliciesBatch = async (client: DbClient, rows: readonly PolicyInput[], now: Date) => {
  const col = <T>(f: (r: PolicyInput) => T) => rows.map(f);
  const { rows: out } = await client.query<{ k: string; inserted: boolean }>(
    `insert into policies (id, policy_number, policyholder_id, product, coverage_tier, sum_insured_cents,
        premium_cents, currency, billing_frequency, next_due_date, paid_to_date, status, created_at, updated_at)
     select u.id, u.num, h.id, u.product, u.tier, u.sum, u.premium, u.currency, u.freq, u.due, u.paid, u.status,
            $12::timestamptz, $12::timestamptz
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                   $8::text[], $9::text[], $10::date[], $11::date[], $13::text[])
            as u(id, num, ref, product, tier, sum, premium, currency, freq, due, paid, status)
       join policyholders h on h.external_ref = u.ref
     on conflict (policy_number) do update set product = excluded.product, coverage_tier = excluded.coverage_tier,
        sum_insured_cents = excluded.sum_insured_cents, premium_cents = excluded.premium_cents,
        currency = excluded.currency, billing_frequency = excluded.billing_frequency,
        next_due_date = excluded.next_due_date, paid_to_date = excluded.paid_to_date, status = excluded.status,
        updated_at = excluded.updated_at
      where (policies.product, policies.coverage_tier, policies.sum_insured_cents, policies.premium_cents,
             policies.currency, policies.billing_frequency, policies.next_due_date, policies.paid_to_date,
             policies.status)
            is distinct from (excluded.product, excluded.coverage_tier, excluded.sum_insured_cents,
             excluded.premium_cents, excluded.currency, excluded.billing_frequency, excluded.next_due_date,
             excluded.paid_to_date, excluded.status)
     returning policy_number as k, (xmax = 0) as inserted`,
    [
      newIds(rows.length), col((r) => r.policyNumber), col((r) => r.customerId), col((r) => r.product),
      col((r) => r.coverageTier), col((r) => r.sumInsuredCents), col((r) => r.premiumCents), col((r) => r.currency),
      col((r) => r.billingFrequency), col((r) => r.nextDueDate), col((r) => r.paidToDate), now, col((r) => r.status),
    ],
  );
  return {
    inserted: new Set(out.filter((r) => r.inserted).map((r) => r.k)),
    updated: new Set(out.filter((r) => !r.inserted).map((r) => r.k)),
  };
};
