import { withTransaction } from '../db/pool.js';
import { outboxRow } from '../jobs/outbox-rows.js';
import { sendSmsJob } from '../jobs/contracts/send-sms.job.js';
import { findPreferredPhone } from '../policies/find-preferred-phone.js';
import { AppError } from '../shared/app-error.js';
import { formatMoney } from '../shared/format-money.js';
import { newId } from '../shared/ids.js';
import { appendEvidenceInTx } from '../evidence/append-in-transaction.js';
import { PaymentEvidence } from './payment-evidence.js';
import type { PaymentsDeps } from './payments-deps.js';
import { lockDue, paymentInteractionOf } from './lock-due.js';
import { writeOutbox } from './settle-context.js';

export type CreatePayLinkInput = {
  dueId: string;
  /** E.164 number to text the link to; default the policyholder's first phone. Omit `text: false` to only create the link. */
  to?: string;
  text?: boolean;
  /** Stripe allows 30 minutes to 24 hours. */
  expiresInMs?: number;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A Stripe-hosted pay link (Checkout Session) for a due, recorded against
 * the due so the payment settles it, and optionally texted (an `sms.send`
 * outbox row, correlated with the due so a payment cancels it if unsent).
 * One live link per due: an open link is reused, never a second one made
 * (two payable pages invite a double payment). Idempotent: the Stripe call
 * uses the link row's key, so concurrent or retried calls get one session.
 */
export const createPayLink = async (
  { dueId, to, text = true, expiresInMs = DAY_MS }: CreatePayLinkInput,
  deps: PaymentsDeps,
): Promise<{ payLinkId: string; url: string; expiresAt: Date; reused: boolean; smsOutboxId: string | null }> => {
  const now = deps.clock.now();
  const claim = await withTransaction(deps.db, async (client) => {
    const due = await lockDue(client, dueId);
    if (!due) throw new AppError('PAY_DUE_NOT_FOUND', `no premium due ${dueId}`);
    if (due.status === 'paid') throw new AppError('PAY_DUE_ALREADY_PAID', `due ${dueId} is already paid`);
    if (due.status === 'waived' || due.status === 'void') throw new AppError('PAY_DUE_NOT_PAYABLE', `due ${dueId} is ${due.status}`);
    const live = await client.query<{ id: string; url: string | null; idempotency_key: string; expires_at: Date }>(
      `select id, url, idempotency_key, expires_at from pay_links where due_id = $1 and status in ('creating', 'open') and expires_at > $2
        order by created_at desc limit 1`,
      [dueId, new Date(now.getTime() + 5 * 60_000)],
    );
    const existing = live.rows[0];
    if (existing) return { due, id: existing.id, key: existing.idempotency_key, expiresAt: existing.expires_at, url: existing.url, reused: true };
    const id = newId();
    const expiresAt = new Date(now.getTime() + expiresInMs);
    await client.query(
      `insert into pay_links (id, due_id, amount_cents, currency, status, idempotency_key, created_at, expires_at)
       values ($1, $2, $3, $4, 'creating', $5, $6, $7)`,
      [id, dueId, due.amount_cents, due.currency, `paylink:${id}`, now, expiresAt],
    );
    return { due, id, key: `paylink:${id}`, expiresAt, url: null as string | null, reused: false };
  });

  let url = claim.url;
  if (!url) {
    const link = await deps.gateway.createPayLink({
      dueId, amountCents: claim.due.amount_cents, currency: claim.due.currency,
      description: `${deps.config.insurerName} premium, policy ${claim.due.policy_number}, due ${claim.due.due_date}`,
      successUrl: `${deps.config.publicBaseUrl}/pay/done`, cancelUrl: `${deps.config.publicBaseUrl}/pay/cancelled`,
      idempotencyKey: claim.key, expiresAt: claim.expiresAt,
      metadata: { due_id: dueId, policy_id: claim.due.policy_id, pay_link_id: claim.id, channel: 'sms-link' },
    });
    url = link.url;
    await deps.db.query(`update pay_links set provider_id = $2, url = $3, status = 'open' where id = $1 and status = 'creating'`, [claim.id, link.id, link.url]);
  }

  let smsOutboxId: string | null = null;
  const rows = await withTransaction(deps.db, async (client) => {
    const locked = await lockDue(client, dueId);
    if (!locked) throw new Error(`no premium due ${dueId}`);
    const interactionId = await paymentInteractionOf(client, locked, now);
    let phone = to ?? null;
    if (text && !phone) phone = await findPreferredPhone(client, claim.due.policyholder_id);
    const outbox = text && phone ? [outboxRow(sendSmsJob, {
      to: phone, body: `${deps.config.insurerName}: your premium of ${formatMoney(claim.due.amount_cents, claim.due.currency, 'en-US')} for policy ${claim.due.policy_number} is due ${claim.due.due_date}. Pay securely here: ${url}`,
    }, { runAt: now, correlation: `due:${dueId}` })] : [];
    smsOutboxId = outbox[0]?.id ?? null;
    await appendEvidenceInTx(client, interactionId, [{
      type: PaymentEvidence.PAY_LINK_CREATED,
      payload: { payLinkId: claim.id, amountCents: claim.due.amount_cents, expiresAt: claim.expiresAt, reused: claim.reused, textedTo: outbox[0] ? phone : null },
    }], now);
    await writeOutbox({ client, now, interactionId }, outbox);
    return outbox;
  });
  if (rows.length) deps.dispatch?.(rows);
  return { payLinkId: claim.id, url, expiresAt: claim.expiresAt, reused: claim.reused, smsOutboxId };
};
