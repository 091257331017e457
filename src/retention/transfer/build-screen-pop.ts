import type { Queryable } from '../../db/pool.js';
import { findPaymentHistory, type PaymentHistory } from '../../payments/find-payment-history.js';
import { findHolderName } from '../../policies/find-holder-name.js';
import { findPolicyTerms, type PolicyTerms } from '../../policies/find-policy-terms.js';
import type { Transfer } from './transfer-store.js';
import { callJourney, type CallStep } from '../../evidence/retrieval/call-journey.js';
import { findCallback } from '../callbacks/callback-store.js';

/** What a specialist sees before picking up (the screen pop) and hears in the whisper. */
export type ScreenPop = {
  transferId: string;
  /** A caller on hold ('transfer'), or a booked callback the specialist is to make ('callback'). */
  kind: 'transfer' | 'callback';
  status: Transfer['status'];
  requestedAt: string;
  priority: boolean;
  locale: string;
  caller: { phone: string; name: string | null };
  policy: Pick<PolicyTerms, 'policyNumber' | 'product' | 'coverageTier' | 'premiumCents' | 'currency' | 'billingFrequency' | 'status' | 'sumInsuredCents'> & { complaintOpen: boolean } | null;
  /** Why the caller wants a person ('cancel', 'mis-selling', 'asked', 'trouble') and, when cancelling, their reason. */
  reason: string;
  cancelReason: string | null;
  offersMade: string[];
  offersDeclined: string[];
  premiumHistory: PaymentHistory['dues'];
  paymentFailures: PaymentHistory['failures'];
  /** What the caller heard, pressed or said and paid in this call (a callback: in the call that booked it), from its evidence. */
  thisCall: CallStep[];
};

/** The screen pop of a transfer, read fresh (the policy and payments as they are now). */
export const buildScreenPop = async (db: Queryable, t: Transfer): Promise<ScreenPop> => {
  const callSid = t.flow === 'callback' ? (t.callbackId ? (await findCallback(db, t.callbackId))?.sourceRef ?? null : null) : t.callerCallSid;
  const [terms, name, history, thisCall] = await Promise.all([
    t.policyId ? findPolicyTerms(db, t.policyId) : null,
    t.policyholderId ? findHolderName(db, t.policyholderId) : null,
    t.policyId ? findPaymentHistory(db, t.policyId) : { dues: [], failures: [] },
    callSid ? callJourney(db, callSid) : [],
  ]);
  return {
    transferId: t.id, kind: t.flow === 'callback' ? 'callback' : 'transfer', status: t.status, requestedAt: t.requestedAt.toISOString(), priority: t.priority, locale: t.locale,
    caller: { phone: t.callerPhone, name: name ? `${name.firstName} ${name.lastName}` : null },
    policy: terms ? {
      policyNumber: terms.policyNumber, product: terms.product, coverageTier: terms.coverageTier, premiumCents: terms.premiumCents,
      currency: terms.currency, billingFrequency: terms.billingFrequency, status: terms.status, sumInsuredCents: terms.sumInsuredCents,
      complaintOpen: terms.complaintOpenedAt !== null,
    } : null,
    reason: t.reason, cancelReason: t.context.reason, offersMade: t.context.offersMade, offersDeclined: t.context.offersDeclined,
    premiumHistory: history.dues, paymentFailures: history.failures, thisCall,
  };
};
