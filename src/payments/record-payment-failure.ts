import type { OutboxRow } from '../jobs/outbox-rows.js';
import { newId } from '../shared/ids.js';
import { classifyDecline, type ClassifyOptions, type DeclineVerdict } from './classify-decline.js';
import { attemptOf, type LockedDue } from './lock-due.js';
import { PaymentEvidence } from './payment-evidence.js';
import type { PaymentFailure } from './payment-gateway.js';
import { PaymentTopics } from './payment-topics.js';
import { appendInContext, writeOutbox, type SettleContext } from './settle-context.js';

export type FailedInput = {
  attemptId?: string | null;
  paymentId: string | null;
  failure: PaymentFailure;
  channel: string;
  /** Off-session failures (a saved card we charged) start recovery; a customer on a checkout page just tries again. */
  offSession: boolean;
  /** 'import': the insurer's own billing reported it (a failed-debit file or the API). */
  source: 'api' | 'webhook' | 'reconcile' | 'import';
  classify?: ClassifyOptions;
  /** More facts for the evidence event, from the source (an imported failure's reference, method, bank return code...). */
  details?: Record<string, unknown>;
};

/**
 * Records a decline for a locked due; idempotent and order-proof: only a
 * pending attempt becomes failed (a success is never undone), and only that
 * transition of an off-session attempt on an open due writes `recovery.start`.
 */
export const recordPaymentFailed = async (
  ctx: SettleContext,
  due: LockedDue,
  p: FailedInput,
): Promise<{ outbox: OutboxRow[]; transitioned: boolean; verdict: DeclineVerdict; attemptId: string | null }> => {
  const { client, now } = ctx;
  const verdict = classifyDecline(p.failure, p.classify);
  const attempt = await attemptOf(client, due, p.attemptId, p.paymentId);
  const f = p.failure;
  let transitioned = false;
  if (attempt && (attempt.status === 'pending' || attempt.status === 'requires_action')) {
    await client.query(
      `update payment_attempts set status = 'failed', provider_payment_id = coalesce(provider_payment_id, $2), claimed_until = null,
              decline_code = $3, decline_class = $4, failure_reason = $5, advice_code = $6, network_decline_code = $7,
              network_advice_code = $8, updated_at = $9 where id = $1`,
      [attempt.id, p.paymentId, f.declineCode ?? f.code, verdict.class, verdict.reason, f.adviceCode, f.networkDeclineCode, f.networkAdviceCode, now],
    );
    transitioned = true;
  }
  const outbox: OutboxRow[] = [];
  if (!transitioned && attempt) return { outbox, transitioned, verdict, attemptId: attempt.id };
  if (transitioned && p.offSession && due.status === 'open') {
    outbox.push({
      id: newId(), topic: PaymentTopics.RECOVERY_START, runAt: now, correlation: `due:${due.id}`,
      payload: { dueId: due.id, declineClass: verdict.class, attemptId: attempt!.id },
    });
  }
  await appendInContext(ctx, [{
    type: PaymentEvidence.FAILED,
    providerRef: p.paymentId,
    payload: {
      attemptId: attempt?.id ?? null, paymentId: p.paymentId, channel: p.channel, source: p.source, code: f.code, declineCode: f.declineCode,
      networkDeclineCode: f.networkDeclineCode, adviceCode: f.adviceCode, networkAdviceCode: f.networkAdviceCode,
      declineClass: verdict.class, reason: verdict.reason, basis: verdict.basis, recoveryStarted: outbox.length > 0,
      ...p.details,
    },
  }]);
  await writeOutbox(ctx, outbox);
  return { outbox, transitioned, verdict, attemptId: attempt?.id ?? null };
};
