import type { Db } from '../db/pool.js';
import { withTransaction } from '../db/pool.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { cancelPolicyJob } from '../jobs/contracts/cancel-policy.job.js';
import { sendSmsJob } from '../jobs/contracts/send-sms.job.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { outboxRow } from '../jobs/outbox-rows.js';
import { refundCancelledPolicy } from '../payments/cancellation-refunds.js';
import type { PaymentsDeps } from '../payments/payments-deps.js';
import { voidOwedDues } from '../payments/policy-billing.js';
import { markPolicyCancelled } from '../policies/change-policy-terms.js';
import { findPolicyTerms } from '../policies/find-policy-terms.js';
import { formatMoney } from '../shared/format-money.js';
import type { SmsCatalog } from '../sms/sms-catalog.js';
import { formatSmsDate } from './format-sms-date.js';
import { decideRetentionCase, lockRetentionCase, recordCaseRefund } from './retention-outcome.js';

/**
 * A customer cancelled: in one transaction the policy is cancelled, its owed
 * dues voided and the case decided; then what is owed back is refunded through
 * the payments port (idempotent per payment, so a re-run after a crash gives
 * nothing back twice) and a text confirms it with the amount. Once per call.
 */
export const createCancelPolicyHandler =
  (deps: { db: Db; payments: PaymentsDeps; smsCatalog: SmsCatalog; insurerName: string; now: () => Date }): JobHandler<typeof cancelPolicyJob> =>
  async (job) => {
    const p = job.payload;
    const now = deps.now();
    const decided = await withTransaction(deps.db, async (client) => {
      const c = await lockRetentionCase(client, { policyId: p.policyId, policyholderId: p.policyholderId, channel: p.channel, sourceRef: p.callSid, now });
      // A re-run of this job goes on to the refunds (they may not have been issued); any other decision stands.
      if (c.outcome !== null && c.outcome !== 'cancelled') return { already: c.outcome } as const;
      const cancelledNow = c.outcome === null ? await markPolicyCancelled(client, p.policyId, now) : false;
      const voided = c.outcome === null ? await voidOwedDues(client, p.policyId) : [];
      if (c.outcome === null) {
        await decideRetentionCase(client, c.id, { outcome: 'cancelled', reason: p.reason, declined: p.declined, cancelEffectiveDate: p.effectiveDate, now });
      }
      return { caseId: c.id, cancelledNow, voided, policyNumber: (await findPolicyTerms(client, p.policyId))?.policyNumber ?? '' } as const;
    });
    if ('already' in decided) return { evidence: [{ type: EvidenceType.RETENTION_ALREADY_DECIDED, payload: { outcome: decided.already } }] };
    const refund = await refundCancelledPolicy(deps.payments, p.policyId, p.effectiveDate, p.ground, `retention:${p.channel}`);
    await recordCaseRefund(deps.db, decided.caseId, refund.refundCents);
    const vars = {
      insurer: deps.insurerName, policy: decided.policyNumber, date: formatSmsDate(p.effectiveDate, p.locale),
      amount: formatMoney(refund.refundCents, 'usd', p.locale),
    };
    const text = outboxRow(sendSmsJob, {
      to: p.phone, body: deps.smsCatalog.text(p.locale, refund.refundCents > 0 ? 'policyCancelledRefund' : 'policyCancelled', vars),
      kind: 'transactional', purpose: 'policy-cancelled', replyToInbound: true, policyholderId: p.policyholderId,
    }, { runAt: now });
    return {
      evidence: [{
        type: EvidenceType.RETENTION_POLICY_CANCELLED,
        payload: { caseId: decided.caseId, policyId: p.policyId, effectiveDate: p.effectiveDate, ground: p.ground, reason: p.reason,
          declined: p.declined, wasActive: decided.cancelledNow, voidedDues: decided.voided, refundCents: refund.refundCents, refunds: refund.refunds },
      }],
      outbox: [text],
    };
  };
