/**
 * SQL that other domains embed in their own statements to read policies and
 * holders with their own rows in one round trip (a due with its policy and
 * holder on the pay path): joins under the caller's aliases, and
 * subqueries. The table and column names stay this domain's business.
 */

/** `join policies <alias>` on the policy whose id is `idExpr`. */
export const joinPolicySql = (alias: string, idExpr: string): string => `join policies ${alias} on ${alias}.id = ${idExpr}`;

/** `join policies <alias>` on the policy whose number is `numberExpr`. */
export const joinPolicyByNumberSql = (alias: string, numberExpr: string): string =>
  `join policies ${alias} on ${alias}.policy_number = ${numberExpr}`;

/** `join policyholders <alias>` on the holder whose id is `idExpr`. */
export const joinHolderSql = (alias: string, idExpr: string): string => `join policyholders ${alias} on ${alias}.id = ${idExpr}`;

/** A select of a holder's numbers: columns phone_e164 and label ('mobile', ...). */
export const holderPhonesSql = (holderIdExpr: string): string =>
  `select phone_e164, label from policyholder_phones where policyholder_id = ${holderIdExpr}`;

/** A SQL expression: the date a policy's cover began (its inception, else when it was recorded). */
export const policyInceptionSql = (idExpr: string): string =>
  `(select coalesce(inception_date, created_at::date) from policies where id = ${idExpr})`;

/** A select of a holder as a billing customer: provider_customer_id, first_name, last_name, email. */
export const billingContactSql = (holderIdExpr: string): string =>
  `select provider_customer_id, first_name, last_name, email from policyholders where id = ${holderIdExpr}`;
