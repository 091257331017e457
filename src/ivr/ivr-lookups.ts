import { createBatchLoader } from '../db/batch-loader.js';
import type { Db } from '../db/pool.js';
import type { CallerMatch, DueInfo } from '../flows/inbound-call.types.js';
import type { Clock } from '../shared/clock.js';
import { toE164 } from '../shared/webhook-edge/to-e164.js';
import { findOpenDues } from '../payments/find-open-dues.js';
import { findPolicyholdersByPhones } from '../policies/find-policyholder-match.js';
import { findPaymentStatuses, paymentStatusKey, UNKNOWN_DUE_STATUS, type PaymentStatusSeen } from '../payments/find-payment-statuses.js';

/** The reads voice turns make most, each batched across the calls asking at the same moment. */
export type IvrLookups = {
  /** The policyholder whose phone is this caller ID; null when none, several, or the number is withheld. */
  callerByPhone: (from: string) => Promise<CallerMatch | null>;
  /** The policy's earliest open due with the default card and where it stands today, or null when nothing is owed. */
  openDue: (policyId: string) => Promise<DueInfo | null>;
  /** Where the charge this call asked for stands, with the call's chain head as that read saw it. */
  paymentStatus: (dueId: string, callSid: string) => Promise<PaymentStatusSeen>;
};

export const createIvrLookups = (db: Db, o: { clock: Clock; gracePeriodDays: number; homeZone: string }): IvrLookups => {
  const callers = createBatchLoader((phones: string[]) => findPolicyholdersByPhones(db, phones));
  const dues = createBatchLoader((policyIds: string[]) => findOpenDues(db, policyIds, { now: o.clock.now(), graceDays: o.gracePeriodDays, homeZone: o.homeZone }));
  const payments = createBatchLoader((keys: string[]) => findPaymentStatuses(db, keys));
  return {
    callerByPhone: async (from) => {
      const e164 = toE164(from);
      return e164 ? callers(e164) : null;
    },
    openDue: (policyId) => dues(policyId),
    paymentStatus: async (dueId, callSid) => (await payments(paymentStatusKey(dueId, callSid))) ?? UNKNOWN_DUE_STATUS,
  };
};
