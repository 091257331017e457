import type { TemplateSpecs } from './message-templates.js';

// why: worst cases, so a template that fits here fits every real rendering: a 40-character insurer
// name, the longest amount below $100,000, a long policy number, three policies' dues, a pay link.
const INSURER = 'Northwestern Mutual Casualty Insurance Co';
const AMOUNT = '$12,345.67';
const POLICY = 'HM-AUTO-2026-00012345';
const PHONE = '(800) 555-0100';
const DUES = 'póliza HM-AUTO-2026-00012345: $12,345.67 vence 30 sept; póliza HM-AUTO-2026-00012346: $12,345.67 vence 30 sept; '
  + 'póliza HM-AUTO-2026-00012347: $12,345.67 vence 30 sept';
const POLICIES = 'HM-AUTO-2026-00012345, HM-AUTO-2026-00012346, HM-AUTO-2026-00012347';
const URL = 'https://checkout.stripe.com/c/pay/cs_live_a1B2c3D4e5F6g7H8i9';
const EXPIRES = '30 de septiembre, 11:59 p.m. EST';
const DAY = '30 sept';
// why: the longest cover explanation a rules file may give (offer-rules-config.ts: 400 characters), with accents.
const COVER = 'ó'.repeat(400);

const only = (maxSegments: number, vars: Record<string, string> = {}) => ({ vars: { insurer: INSURER, ...vars }, maxSegments });

/**
 * The SMS conversation's and the receipts' wording (src/sms/messages/<locale>.json): each key's
 * variables and segment budget. The budgets are the Spanish wording's: its accents (á í ó ú) are not
 * GSM-7, so a Spanish text costs UCS-2 segments of 67 characters.
 */
export const SMS_TEMPLATE_SPECS = {
  optOut: only(3),
  optIn: only(3),
  help: only(3),
  received: only(3),
  callbackBooked: only(3),
  callbackSlot: only(4, { when: 'miércoles, 30 de septiembre, 11:45 a.m. EST' }),
  callbackMissed: only(3),
  paymentReceipt: only(3, { amount: AMOUNT, policy: POLICY, code: '12345678' }),
  technicalProblem: only(3),
  balance: only(5, { dues: DUES }),
  nothingDue: only(3),
  unknownNumber: only(3, { phone: PHONE }),
  policyNotFound: only(3, { policy: POLICY, phone: PHONE }),
  payWhich: only(5, { dues: DUES, example: POLICY }),
  payQuote: only(3, { amount: AMOUNT, policy: POLICY, last4: '4242', minutes: '60' }),
  quoteRenewed: only(4, { amount: AMOUNT, policy: POLICY, last4: '4242', minutes: '60' }),
  paying: only(3, { amount: AMOUNT, last4: '4242' }),
  linkComing: only(3, { policy: POLICY }),
  cancelPolicy: only(4, { policy: POLICY, phone: PHONE }),
  cancelWhich: only(4, { policies: POLICIES, example: POLICY }),
  nothingToCancel: only(3, { phone: PHONE }),
  options: only(3, { phone: PHONE }),
  offerPerson: only(3, { phone: PHONE }),
  payLink: only(5, { amount: AMOUNT, policy: POLICY, url: URL, expires: EXPIRES }),
  payDeclined: only(4, { amount: AMOUNT, policy: POLICY, last4: '4242', phone: PHONE }),
  payNotCharged: only(3, { policy: POLICY }),
  alreadyPaid: only(3, { policy: POLICY }),
  payProcessing: only(3, { policy: POLICY }),
  policyDowngraded: only(4, { policy: POLICY, cover: 'standard', amount: AMOUNT, date: EXPIRES }),
  paymentDateMoved: only(4, { policy: POLICY, amount: AMOUNT, date: EXPIRES }),
  instalmentSkipped: only(4, { policy: POLICY, from: EXPIRES, amount: AMOUNT, date: EXPIRES }),
  policyKept: only(3, { policy: POLICY }),
  policyCancelledRefund: only(4, { policy: POLICY, date: EXPIRES, amount: AMOUNT }),
  policyCancelled: only(4, { policy: POLICY, date: EXPIRES }),
  retentionReason: only(5, { policy: POLICY }),
  offerDowngrade: only(4, { cover: 'platinum plus', policy: POLICY, amount: AMOUNT, from: AMOUNT, date: DAY }),
  offerMoveDate: only(4, { amount: AMOUNT, date: DAY }),
  offerSkip: only(4, { amount: AMOUNT, date: DAY, toDate: DAY, total: AMOUNT }),
  offerExplain: only(9, { cover: COVER, policy: POLICY }),
  retentionDecide: only(4, { policy: POLICY }),
  retentionMisSold: only(4, { policy: POLICY }),
  retentionBadDay: only(3),
} satisfies TemplateSpecs;

export type SmsTemplateKey = keyof typeof SMS_TEMPLATE_SPECS;
