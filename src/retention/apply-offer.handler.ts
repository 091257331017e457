import { EvidenceType } from '../evidence/evidence-event.js';
import { withTransaction, type Db, type DbClient } from '../db/pool.js';
import type { applyOfferJob } from '../jobs/contracts/apply-offer.job.js';
import { sendSmsJob } from '../jobs/contracts/send-sms.job.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { outboxRow } from '../jobs/outbox-rows.js';
import { moveOwedDue, repriceOwedDues } from '../payments/policy-billing.js';
import { changePolicyTerms, moveNextDueDate } from '../policies/change-policy-terms.js';
import { findPolicyTerms } from '../policies/find-policy-terms.js';
import { formatMoney } from '../shared/format-money.js';
import type { SmsCatalog } from '../sms/sms-catalog.js';
import type { JobPayload } from '../jobs/job-definition.js';
import { formatSmsDate } from './format-sms-date.js';
import { decideRetentionCase, lockRetentionCase, type RetentionOutcome } from './retention-outcome.js';

type Payload = JobPayload<typeof applyOfferJob>;

const OUTCOME = { 'downgrade-tier': 'downgraded', 'downgrade-sum': 'downgraded', 'move-date': 'date-moved', 'skip-instalment': 'instalment-skipped', 'explain-cover': 'kept' } as const;

/** Applies the offer as quoted; false when the policy or its due changed since (nothing is changed then). */
const apply = async (client: DbClient, p: Payload, now: Date): Promise<boolean> => {
  const o = p.offer;
  switch (o.kind) {
    case 'downgrade-tier':
    case 'downgrade-sum': {
      const changed = await changePolicyTerms(client, p.policyId,
        { coverageTier: o.fromTier, sumInsuredCents: o.fromSumInsuredCents, premiumCents: o.fromPremiumCents },
        { coverageTier: o.toTier, sumInsuredCents: o.toSumInsuredCents, premiumCents: o.toPremiumCents }, now);
      if (changed) await repriceOwedDues(client, p.policyId, o.effectiveDate, o.toPremiumCents);
      return changed;
    }
    case 'move-date': {
      if (!p.toDate) return false;
      const moved = await moveOwedDue(client, o.dueId, { date: o.fromDate, amountCents: o.amountCents }, { date: p.toDate, amountCents: o.amountCents });
      if (moved) await moveNextDueDate(client, p.policyId, o.fromDate, p.toDate, now);
      return moved;
    }
    case 'skip-instalment': {
      const moved = await moveOwedDue(client, o.dueId, { date: o.fromDate, amountCents: o.fromAmountCents }, { date: o.toDate, amountCents: o.toAmountCents });
      if (moved) await moveNextDueDate(client, p.policyId, o.fromDate, o.toDate, now);
      return moved;
    }
    case 'explain-cover':
      return true;
  }
};

/** The confirmation text of an applied offer, in the customer's language. */
const confirmation = (catalog: SmsCatalog, insurer: string, p: Payload, policy: string): string => {
  const o = p.offer;
  const t = (key: Parameters<SmsCatalog['text']>[1], vars: Record<string, string>) => catalog.text(p.locale, key, { insurer, policy, ...vars });
  switch (o.kind) {
    case 'downgrade-tier':
    case 'downgrade-sum':
      return t('policyDowngraded', { cover: o.toTier, amount: formatMoney(o.toPremiumCents, o.currency, p.locale), date: formatSmsDate(o.effectiveDate, p.locale) });
    case 'move-date':
      return t('paymentDateMoved', { amount: formatMoney(o.amountCents, o.currency, p.locale), date: formatSmsDate(p.toDate!, p.locale) });
    case 'skip-instalment':
      return t('instalmentSkipped', { from: formatSmsDate(o.fromDate, p.locale), date: formatSmsDate(o.toDate, p.locale), amount: formatMoney(o.toAmountCents, o.currency, p.locale) });
    case 'explain-cover':
      return t('policyKept', {});
  }
};

/**
 * A customer accepted a retention offer (or kept the policy): the change is
 * applied exactly as quoted, in one transaction with the case's outcome, once
 * per call; a policy or due that changed since the quote is left alone and the
 * case stays open for a specialist. The confirmation text goes through the
 * contact engine as a reply to the call.
 */
export const createApplyOfferHandler =
  (deps: { db: Db; smsCatalog: SmsCatalog; insurerName: string; now: () => Date }): JobHandler<typeof applyOfferJob> =>
  async (job) => {
    const p = job.payload;
    const now = deps.now();
    const r = await withTransaction(deps.db, async (client) => {
      const c = await lockRetentionCase(client, { policyId: p.policyId, policyholderId: p.policyholderId, channel: p.channel, sourceRef: p.callSid, now });
      if (c.outcome !== null) return { already: c.outcome } as const;
      const applied = await apply(client, p, now);
      const outcome: RetentionOutcome = applied ? OUTCOME[p.offer.kind] : 'not-applied';
      await decideRetentionCase(client, c.id, { outcome, reason: p.reason, declined: p.declined, offer: p.offer, now });
      return { outcome, caseId: c.id, policyNumber: (await findPolicyTerms(client, p.policyId))?.policyNumber ?? '' } as const;
    });
    if ('already' in r) return { evidence: [{ type: EvidenceType.RETENTION_ALREADY_DECIDED, payload: { outcome: r.already } }] };
    const evidence = [{ type: r.outcome === 'not-applied' ? EvidenceType.RETENTION_OFFER_NOT_APPLIED : EvidenceType.RETENTION_OFFER_APPLIED,
      payload: { caseId: r.caseId, outcome: r.outcome, reason: p.reason, offer: p.offer, toDate: p.toDate, declined: p.declined } }];
    if (r.outcome === 'not-applied') return { evidence };
    const text = outboxRow(sendSmsJob, {
      to: p.phone, body: confirmation(deps.smsCatalog, deps.insurerName, p, r.policyNumber),
      kind: 'transactional', purpose: 'policy-changed', replyToInbound: true, policyholderId: p.policyholderId,
    }, { runAt: now });
    return { evidence, outbox: [text] };
  };
