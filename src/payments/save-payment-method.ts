import { AppError } from '../shared/app-error.js';
import { newId } from '../shared/ids.js';
import type { PaymentsDeps } from './payments-deps.js';

/**
 * The policyholder's Stripe customer, created once (idempotency key per
 * policyholder, so concurrent callers get the same customer) and remembered.
 */
export const ensureCustomer = async (policyholderId: string, deps: Pick<PaymentsDeps, 'db' | 'gateway'>): Promise<string> => {
  const { rows } = await deps.db.query<{ provider_customer_id: string | null; first_name: string; last_name: string; email: string | null }>(
    'select provider_customer_id, first_name, last_name, email from policyholders where id = $1',
    [policyholderId],
  );
  const h = rows[0];
  if (!h) throw new AppError('NOT_FOUND', `no policyholder ${policyholderId}`);
  if (h.provider_customer_id) return h.provider_customer_id;
  const { customerId } = await deps.gateway.ensureCustomer({
    policyholderId, name: `${h.first_name} ${h.last_name}`, email: h.email, idempotencyKey: `customer:${policyholderId}`,
  });
  const upd = await deps.db.query<{ provider_customer_id: string }>(
    `update policyholders set provider_customer_id = coalesce(provider_customer_id, $2) where id = $1 returning provider_customer_id`,
    [policyholderId, customerId],
  );
  return upd.rows[0]!.provider_customer_id;
};

/**
 * Saves a tokenised card (a Stripe pm_... id, e.g. from Twilio <Pay>) for a
 * policyholder and makes it their default. Stores provider ids, brand and
 * last4 only. Idempotent per policyholder and card. `customerId`, when the
 * caller has read it already, saves looking it up.
 */
export const savePaymentMethod = async (
  { policyholderId, paymentMethodId, customerId: known }: { policyholderId: string; paymentMethodId: string; customerId?: string | null },
  deps: Pick<PaymentsDeps, 'db' | 'gateway'>,
): Promise<{ id: string; customerId: string; paymentMethodId: string; brand: string | null; last4: string | null }> => {
  const customerId = known ?? (await ensureCustomer(policyholderId, deps));
  const card = await deps.gateway.attachPaymentMethod({ customerId, paymentMethodId, idempotencyKey: `attach:${policyholderId}:${paymentMethodId}` });
  const { rows } = await deps.db.query<{ id: string }>(
    `with cleared as (update payment_methods set is_default = false where policyholder_id = $2 and provider_payment_method_id <> $4)
     insert into payment_methods (id, policyholder_id, provider, provider_customer_id, provider_payment_method_id, brand, last4, is_default)
     values ($1, $2, 'stripe', $3, $4, $5, $6, true)
     on conflict (provider, provider_payment_method_id) do update set is_default = true
     returning id`,
    [newId(), policyholderId, customerId, card.paymentMethodId, card.brand, card.last4],
  );
  return { id: rows[0]!.id, customerId, ...card };
};
