import type { Db } from '../db/pool.js';
import type { AccountFacts } from '../flows/sms-conversation.types.js';
import { findOpenDues } from '../payments/find-open-dues.js';
import { findPolicies } from '../policies/find-policies.js';
import { findPolicyholdersByPhone } from '../policies/find-policyholders-by-phone.js';

/**
 * What a text from `phone` may be told about: its one policyholder's policies and open dues (with
 * the card on file, provider reference only), the soonest due first. `holder` null when the number is nobody's or several
 * holders share it: nothing about a policy is said to a number that is not exactly one person's.
 */
export const findSmsAccount = async (
  db: Db,
  phone: string,
  at: { now: Date; graceDays: number; homeZone: string },
): Promise<AccountFacts> => {
  const holders = await findPolicyholdersByPhone(db, phone);
  if (holders.length !== 1) return { holder: null, policies: [], dues: [] };
  const holder = holders[0]!;
  const policies = await findPolicies(db, { holderIds: [holder.id] });
  const open = await findOpenDues(db, policies.map((p) => p.id), at);
  const dues = policies.flatMap((p) => {
    const d = open.get(p.id);
    return d ? [{ policyId: p.id, policyNumber: p.policyNumber, dueId: d.dueId, amountCents: d.amountCents, currency: d.currency, dueDate: d.dueDate, card: d.cardOnFile }] : [];
  }).sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.policyNumber.localeCompare(b.policyNumber));
  return { holder: { id: holder.id }, policies: policies.map((p) => ({ policyId: p.id, policyNumber: p.policyNumber, status: p.status, product: p.product })), dues };
};

/** The lookup a conversation turn uses: findSmsAccount at the clock's time, with the gateway's grace period and home zone. */
export const smsAccountLookup = (db: Db, clock: { now: () => Date }, o: { graceDays: number; homeZone: string }) =>
  (phone: string): Promise<AccountFacts> => findSmsAccount(db, phone, { now: clock.now(), ...o });
