import type { Db } from '../db/pool.js';
import { AppError } from '../shared/app-error.js';
import { newId } from '../shared/ids.js';
import { keepProviderCustomerSql } from '../policies/keep-provider-customer-sql.js';
import type { PaymentsDeps } from './payments-deps.js';
import { billingContactSql } from '../policies/policy-join-sql.js';

/** What a policyholder's Stripe customer is made from, and its id once made. */
export type CustomerHolder = { policyholderId: string; customerId: string | null; name: string; email: string | null };

/** Reads a policyholder as a customer holder (callers that read the row already pass it instead). */
const readHolder = async (db: Db, policyholderId: string): Promise<CustomerHolder> => {
  const { rows } = await db.query<{ provider_customer_id: string | null; first_name: string; last_name: string; email: string | null }>(
    billingContactSql('$1'),
    [policyholderId],
  );
  const h = rows[0];
  if (!h) throw new AppError('NOT_FOUND', `no policyholder ${policyholderId}`);
  return { policyholderId, customerId: h.provider_customer_id, name: `${h.first_name} ${h.last_name}`, email: h.email };
};

/**
 * Creates the holder's Stripe customer, once whatever the concurrency or
 * crashes: the idempotency key is per policyholder, so concurrent or repeated
 * calls get the same customer back. The caller stores its id.
 */
const createCustomer = async (h: CustomerHolder, deps: Pick<PaymentsDeps, 'gateway'>): Promise<string> =>
  (await deps.gateway.ensureCustomer({ policyholderId: h.policyholderId, name: h.name, email: h.email, idempotencyKey: `customer:${h.policyholderId}` }))
    .customerId;

/** The policyholder's Stripe customer, created once and remembered. */
export const ensureCustomer = async (
  policyholderId: string,
  deps: Pick<PaymentsDeps, 'db' | 'gateway'>,
  holder?: CustomerHolder,
): Promise<string> => {
  const h = holder ?? (await readHolder(deps.db, policyholderId));
  if (h.customerId) return h.customerId;
  const customerId = await createCustomer(h, deps);
  const upd = await deps.db.query<{ provider_customer_id: string }>(keepProviderCustomerSql(1), [policyholderId, customerId]);
  return upd.rows[0]!.provider_customer_id;
};

/**
 * Saves a tokenised card (a Stripe pm_... id, e.g. from Twilio <Pay>) for a
 * policyholder and makes it their default, creating their Stripe customer
 * first if they have none (stored with the card, in one statement; a crash
 * before it costs nothing, the customer's idempotency key finds it again).
 * Stores provider ids, brand and last4 only. Idempotent per policyholder and
 * card. `holder`, when the caller has read the policyholder already, saves
 * reading it again.
 */
export const savePaymentMethod = async (
  { policyholderId, paymentMethodId, holder }: { policyholderId: string; paymentMethodId: string; holder?: CustomerHolder },
  deps: Pick<PaymentsDeps, 'db' | 'gateway'>,
): Promise<{ id: string; customerId: string; paymentMethodId: string; brand: string | null; last4: string | null }> => {
  const h = holder ?? (await readHolder(deps.db, policyholderId));
  const created = h.customerId ? null : await createCustomer(h, deps);
  const customerId = h.customerId ?? created!;
  const card = await deps.gateway.attachPaymentMethod({ customerId, paymentMethodId, idempotencyKey: `attach:${policyholderId}:${paymentMethodId}` });
  const { rows } = await deps.db.query<{ id: string }>(
    `with ${created ? `kept as (${keepProviderCustomerSql(7)}),` : ''}
     cleared as (update payment_methods set is_default = false where policyholder_id = $2 and provider_payment_method_id <> $4)
     insert into payment_methods (id, policyholder_id, provider, provider_customer_id, provider_payment_method_id, brand, last4, is_default)
     values ($1, $2, 'stripe', $3, $4, $5, $6, true)
     on conflict (provider, provider_payment_method_id) do update set is_default = true
     returning id`,
    [newId(), policyholderId, customerId, card.paymentMethodId, card.brand, card.last4, ...(created ? [policyholderId, created] : [])],
  );
  return { id: rows[0]!.id, customerId, ...card };
};
