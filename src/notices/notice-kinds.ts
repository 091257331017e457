import type { ContactKind } from '../contact/frequency-caps.js';
import type { TemplateSpecs } from '../sms/message-templates.js';

/** Every proactive notice the gateway sends (docs/notices.md). */
export const NOTICE_KINDS = ['due-reminder', 'payment-received', 'payment-failed', 'pending-cancellation', 'cancelled', 'welcome', 'reinstatement-offer'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The key of each notice in src/notices/templates/<locale>.json. */
export type NoticeTemplateKey = 'dueReminder' | 'paymentReceived' | 'paymentFailed' | 'pendingCancellation' | 'cancelled' | 'welcome' | 'reinstatementOffer';

/**
 * What each notice is: its template, how the contact engine counts it, and which due it is about.
 * `due`: 'open' (an open or failed due: paying it cancels the notice, correlated `due:<id>`),
 * 'paid' (the latest paid due), or null (about the policy alone). `policyStatus`: the policy
 * statuses it may be sent for (null: any).
 */
export type NoticeRule = {
  template: NoticeTemplateKey;
  contactKind: ContactKind;
  due: 'open' | 'paid' | null;
  policyStatus: readonly string[] | null;
};

export const NOTICE_RULES: Readonly<Record<NoticeKind, NoticeRule>> = {
  'due-reminder': { template: 'dueReminder', contactKind: 'informational', due: 'open', policyStatus: ['active', 'grace', 'reinstated'] },
  // why: the customer just paid: like a receipt, it answers what they did, so it is transactional (never capped).
  'payment-received': { template: 'paymentReceived', contactKind: 'transactional', due: 'paid', policyStatus: null },
  'payment-failed': { template: 'paymentFailed', contactKind: 'informational', due: 'open', policyStatus: ['active', 'grace', 'reinstated'] },
  'pending-cancellation': { template: 'pendingCancellation', contactKind: 'informational', due: 'open', policyStatus: ['active', 'grace', 'reinstated'] },
  cancelled: { template: 'cancelled', contactKind: 'informational', due: null, policyStatus: ['cancelled', 'lapsed'] },
  welcome: { template: 'welcome', contactKind: 'informational', due: null, policyStatus: ['active', 'reinstated'] },
  // why: a lapsed policy whose overdue premium may still be paid to restore it (failed-debit recovery's last offer).
  'reinstatement-offer': { template: 'reinstatementOffer', contactKind: 'informational', due: 'open', policyStatus: ['lapsed'] },
};

/** What a notice job about an open due is correlated with: paying the due cancels it (recordPaymentSucceeded). */
export const dueCorrelation = (dueId: string): string => `due:${dueId}`;

// why: worst cases, so a template that fits here fits every real rendering: a 40-character insurer
// name, the longest amount below $100,000, a long policy number, the longest month name in either
// language, a 60-character pay link.
const INSURER = 'Northwestern Mutual Casualty Insurance Co';
const AMOUNT = '$12,345.67';
const POLICY = 'HM-AUTO-2026-00012345';
const DATE = '30 de septiembre';
const PHONE = '(800) 555-0100';
const LINK = 'https://checkout.stripe.com/c/pay/cs_live_a1B2c3D4e5F6g7H8i9';

/** Each notice template's variables with worst-case samples, and its segment budget. */
export const NOTICE_TEMPLATE_SPECS: TemplateSpecs<NoticeTemplateKey> = {
  dueReminder: { vars: { insurer: INSURER, amount: AMOUNT, policy: POLICY, dueDate: DATE, phone: PHONE }, maxSegments: 2 },
  paymentReceived: { vars: { insurer: INSURER, amount: AMOUNT, policy: POLICY }, maxSegments: 2 },
  paymentFailed: { vars: { insurer: INSURER, amount: AMOUNT, policy: POLICY, payLink: LINK, phone: PHONE }, maxSegments: 2 },
  pendingCancellation: { vars: { insurer: INSURER, amount: AMOUNT, policy: POLICY, lastDay: DATE, phone: PHONE }, maxSegments: 2 },
  cancelled: { vars: { insurer: INSURER, policy: POLICY, phone: PHONE }, maxSegments: 2 },
  welcome: { vars: { insurer: INSURER, policy: POLICY, phone: PHONE }, maxSegments: 2 },
  reinstatementOffer: { vars: { insurer: INSURER, amount: AMOUNT, policy: POLICY, payLink: LINK, phone: PHONE }, maxSegments: 3 },
};
