/**
 * A statement (or CTE body) storing a payment provider's customer id on a policyholder unless one is
 * there already (the first one stays): `$p` the policyholder, `$p+1` the customer id. Returns
 * provider_customer_id.
 */
export const keepProviderCustomerSql = (p: number): string =>
  `update policyholders set provider_customer_id = coalesce(provider_customer_id, $${p + 1}) where id = $${p} returning provider_customer_id`;
