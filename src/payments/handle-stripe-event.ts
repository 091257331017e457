import { createHash } from 'node:crypto';
import { withTransaction, type DbClient } from '../db/pool.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import { ensureSystemInteraction, PaymentEvidence } from './payment-evidence.js';
import type { PaymentsDeps } from './payments-deps.js';
import { isCustomerPresent } from './customer-present.js';
import { lockDue, paymentInteractionOf, type LockedDue } from './lock-due.js';
import { recordPaymentFailed } from './record-payment-failure.js';
import { recordPaymentSucceeded } from './record-payment-success.js';
import { appendInContext, flushSettlement, settleContext, type SettleContext } from './settle-context.js';

/** The parts of a Stripe event we read (the SDK's `Stripe.Event` satisfies it). */
export type StripeEventLike = { id: string; type: string; created: number; data: { object: unknown } };

type Obj = Record<string, unknown>;
const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
const meta = (o: Obj): Record<string, string> => (o.metadata && typeof o.metadata === 'object' ? (o.metadata as Record<string, string>) : {});

export type EventOutcome = { status: 'processed' | 'duplicate' | 'ignored'; note: string };

/**
 * The event types this handler acts on: the webhook endpoint subscribes to
 * these (`enabled_events` in Stripe). Any other type that arrives is recorded and ignored.
 */
export const HANDLED_STRIPE_EVENTS = [
  'payment_intent.succeeded', 'payment_intent.payment_failed', 'checkout.session.completed', 'checkout.session.expired', 'charge.refunded',
] as const;

/** Chains for events about no due of ours: per day, spread by event id so concurrent webhooks do not queue on one head. */
const UNMATCHED_CHAINS = 16;
const unmatchedChainRef = (eventId: string, now: Date): string =>
  `stripe-events:${now.toISOString().slice(0, 10)}:${createHash('sha256').update(eventId).digest().readUInt8(0) % UNMATCHED_CHAINS}`;

/**
 * Applies one verified Stripe event, exactly once: the event id is recorded
 * in the same transaction as its effects (a redelivery finds it and changes
 * nothing; a crash rolls both back and Stripe redelivers). Every handler is
 * order-proof: a paid due is never unpaid, a success is never turned into a
 * failure, refunded amounts only grow. Unknown types are recorded and ignored.
 */
export const handleStripeEvent = async (event: StripeEventLike, deps: PaymentsDeps): Promise<EventOutcome> => {
  const outbox: OutboxRow[] = [];
  const out = await withTransaction(deps.db, async (client) => {
    const now = deps.clock.now();
    const obj = (event.data.object ?? {}) as Obj;
    const seen = await client.query<{ processed_at: Date | null }>(
      `insert into stripe_events (id, type, object_id, created, received_at) values ($1, $2, $3, to_timestamp($4), $5)
       on conflict (id) do update set deliveries = stripe_events.deliveries + 1
       returning processed_at`,
      [event.id, event.type, s(obj.id), event.created, now],
    );
    if (seen.rows[0]?.processed_at) return { status: 'duplicate', note: 'already processed' } satisfies EventOutcome;
    const { ctx, due } = await chainForEvent(client, event, obj, deps);
    const result = due ? await settle(ctx, due, event, obj, deps, outbox) : ({ status: 'ignored', note: 'no due of ours' } satisfies EventOutcome);
    // The event's evidence, what it settled and its processed mark go in one last statement.
    await flushSettlement(ctx, {
      with: (p) => `mark as (update stripe_events set processed_at = $${p}, outcome = $${p + 1} where id = $${p + 2})`,
      values: [now, `${result.status}: ${result.note}`, event.id],
    });
    return result;
  });
  if (outbox.length) deps.dispatch?.(outbox);
  return out;
};

/**
 * The chain the event is recorded on (its due's payment chain, under the due's lock, or a spread-out
 * daily one), in a context that collects the event's record and what settling it writes.
 */
const chainForEvent = async (client: DbClient, event: StripeEventLike, obj: Obj, deps: PaymentsDeps) => {
  const now = deps.clock.now();
  const m = meta(obj);
  const dueId = m.due_id ?? s(obj.client_reference_id);
  // why: a payment intent's event settles the attempt it names; lockDue reads that attempt with the due.
  const lookup = event.type.startsWith('payment_intent.') ? { attemptId: m.attempt_id ?? null, paymentId: s(obj.id) } : undefined;
  const due = dueId && /^[0-9a-f-]{36}$/i.test(dueId) ? await lockDue(client, dueId, lookup) : null;
  const record = { type: PaymentEvidence.STRIPE_EVENT, providerRef: event.id, providerTime: new Date(event.created * 1000),
    payload: { eventId: event.id, type: event.type, objectId: s(obj.id) } };
  if (!due) {
    const sys = await ensureSystemInteraction(client, unmatchedChainRef(event.id, now), now);
    const drafts = [{ ...record, payload: { ...record.payload, note: 'no due of ours' } }];
    const ctx: SettleContext = { client, now, interactionId: sys, head: null, deferred: { drafts, outbox: [] } };
    return { ctx, due: null };
  }
  const interactionId = await paymentInteractionOf(client, due, now);
  const ctx = settleContext(client, now, due, interactionId, { defer: true, receiptFallbackMs: deps.config.receiptFallbackMs });
  await appendInContext(ctx, [record]);
  return { ctx, due };
};

/** Applies the event to its locked due: every case is idempotent and order-proof. */
const settle = async (
  ctx: SettleContext, due: LockedDue, event: StripeEventLike, obj: Obj, deps: PaymentsDeps, outbox: OutboxRow[],
): Promise<EventOutcome> => {
  const { client, now } = ctx;
  const m = meta(obj);
  switch (event.type) {
    case 'payment_intent.succeeded':
      return succeeded(ctx, due, outbox, {
        attemptId: m.attempt_id ?? null, paymentId: String(obj.id), amountCents: n(obj.amount_received) || n(obj.amount),
        currency: String(obj.currency), channel: m.channel ?? 'unknown', payLinkId: m.pay_link_id ?? null, source: 'webhook',
      });
    case 'payment_intent.payment_failed': {
      const lpe = (obj.last_payment_error ?? {}) as Obj;
      const channel = m.channel ?? 'unknown';
      const f = await recordPaymentFailed(ctx, due, {
        attemptId: m.attempt_id ?? null, paymentId: s(obj.id), channel, offSession: !isCustomerPresent(channel), source: 'webhook',
        failure: { code: s(lpe.code), declineCode: s(lpe.decline_code), networkDeclineCode: s(lpe.network_decline_code),
          adviceCode: s(lpe.advice_code), networkAdviceCode: s(lpe.network_advice_code), message: s(lpe.message) ?? 'declined' },
        ...(deps.config.decline ? { classify: deps.config.decline } : {}),
      });
      outbox.push(...f.outbox);
      return { status: 'processed', note: f.transitioned ? `attempt failed (${f.verdict.class})` : 'no pending attempt changed' };
    }
    case 'checkout.session.completed': {
      if (obj.payment_status !== 'paid' || !s(obj.payment_intent)) return { status: 'ignored', note: 'session not paid' };
      const link = await client.query<{ id: string }>('select id from pay_links where provider_id = $1', [String(obj.id)]);
      return succeeded(ctx, due, outbox, {
        paymentId: String(obj.payment_intent), amountCents: n(obj.amount_total), currency: String(obj.currency), channel: 'sms-link',
        payLinkId: link.rows[0]?.id ?? m.pay_link_id ?? null, source: 'webhook',
      });
    }
    case 'checkout.session.expired': {
      const r = await client.query(`update pay_links set status = 'expired' where provider_id = $1 and status in ('open', 'creating')`, [String(obj.id)]);
      return { status: 'processed', note: `pay link expired (${r.rowCount ?? 0})` };
    }
    case 'charge.refunded': {
      // why: amounts only grow, so a late or repeated charge.refunded cannot lower what we know was refunded.
      const r = await client.query(
        `update payment_attempts set refunded_cents = greatest(refunded_cents, $3), updated_at = $4
          where due_id = $1 and provider = 'stripe' and provider_payment_id = $2`,
        [due.id, s(obj.payment_intent), n(obj.amount_refunded), now],
      );
      await appendInContext(ctx, [{ type: PaymentEvidence.REFUND_CONFIRMED, providerRef: s(obj.id),
        payload: { paymentId: s(obj.payment_intent), chargeId: s(obj.id), amountRefundedCents: n(obj.amount_refunded) } }]);
      return { status: 'processed', note: `refunded amount recorded (${r.rowCount ?? 0})` };
    }
    default:
      return { status: 'ignored', note: `unhandled type ${event.type}` };
  }
};

const succeeded = async (
  ctx: SettleContext, due: LockedDue, outbox: OutboxRow[], p: Parameters<typeof recordPaymentSucceeded>[2],
): Promise<EventOutcome> => {
  const r = await recordPaymentSucceeded(ctx, due, p);
  outbox.push(...r.outbox);
  const note = r.duePaidNow ? 'due paid' : r.duplicate ? 'duplicate payment, refund queued' : r.changed ? 'attempt succeeded' : 'already recorded';
  return { status: 'processed', note };
};
