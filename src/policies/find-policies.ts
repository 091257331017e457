import type { Queryable } from '../db/pool.js';

/** A policy by its keys: what other domains may know of one. */
export type PolicyRef = { id: string; policyNumber: string; policyholderId: string; status: string; product: string };

/**
 * The policies with any of these ids, numbers (exact) or holders, ordered by policy number. One
 * query whatever the mix; an empty selection reads nothing.
 */
export const findPolicies = async (
  db: Queryable,
  by: { ids?: readonly string[]; numbers?: readonly string[]; holderIds?: readonly string[] },
): Promise<PolicyRef[]> => {
  const [ids, numbers, holderIds] = [by.ids ?? [], by.numbers ?? [], by.holderIds ?? []];
  if (ids.length + numbers.length + holderIds.length === 0) return [];
  const { rows } = await db.query<PolicyRef>(
    `select id, policy_number as "policyNumber", policyholder_id as "policyholderId", status, product from policies
      where id = any($1::uuid[]) or policy_number = any($2::text[]) or policyholder_id = any($3::uuid[])
      order by policy_number, id`,
    [ids, numbers, holderIds],
  );
  return rows;
};
