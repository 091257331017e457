import type { Locale } from '../flows/inbound-call.machine.js';

/** What a text that is not a carrier keyword asks for. */
export type SmsIntent = 'balance' | 'pay' | 'link' | 'confirm' | 'cancel-policy' | 'person' | 'cancel-now' | 'keep' | 'decline' | 'choice';

export type ClassifiedText = {
  intent: SmsIntent | null;
  /** A policy number the customer named ("PAY HM-A-200874"), as written, upper case. */
  policyNumber: string | null;
  /** The language the words are in, when they say it (SALDO, PAGAR...); null for "OK" or a number. */
  language: Locale | null;
  /** The number a `choice` is (a reason 1-6, a payment day 1-28); present only with that intent. */
  choice?: number;
};

/** What the conversation waits for, which gives short answers a meaning they have nowhere else. */
export type Pending = {
  /** A payment quote waits for YES. */
  quotePending: boolean;
  /** A retention offer waits for YES or NO. */
  offerPending?: boolean;
  /** A numbered answer is asked for (a reason, a payment day). */
  choicePending?: boolean;
};

/** Words in upper case without accents or punctuation, so "Cancelar póliza." reads CANCELAR POLIZA. */
export const normalizeWords = (body: string): string =>
  body.normalize('NFD').replace(/\p{Mn}/gu, '').toUpperCase().replace(/[^A-Z0-9-]+/g, ' ').trim();

type Rule = { intent: SmsIntent; language: Locale; phrases: readonly string[] };

// why: whole phrases at the start of the message, not words anywhere: "I can't pay" is not PAY,
// and "CANCEL" alone is an opt-out (classify-keyword.ts), never a policy action.
const RULES: readonly Rule[] = [
  { intent: 'cancel-now', language: 'en-US', phrases: ['CANCEL NOW', 'CANCEL IT NOW', 'CANCEL TODAY', 'CANCEL POLICY NOW'] },
  { intent: 'cancel-now', language: 'es-US', phrases: ['CANCELAR AHORA', 'CANCELAR YA', 'CANCELAR HOY', 'CANCELAR POLIZA AHORA'] },
  { intent: 'keep', language: 'en-US', phrases: ['KEEP', 'KEEP IT', 'KEEP POLICY', 'KEEP MY POLICY'] },
  { intent: 'keep', language: 'es-US', phrases: ['MANTENER', 'CONSERVAR', 'QUEDARME', 'MANTENER POLIZA', 'MANTENER MI POLIZA'] },
  { intent: 'cancel-policy', language: 'en-US', phrases: ['CANCEL POLICY', 'CANCEL MY POLICY', 'CANCEL THE POLICY', 'CANCEL INSURANCE', 'CANCEL MY INSURANCE'] },
  { intent: 'cancel-policy', language: 'es-US', phrases: ['CANCELAR POLIZA', 'CANCELAR MI POLIZA', 'CANCELAR LA POLIZA', 'CANCELAR SEGURO', 'CANCELAR MI SEGURO'] },
  { intent: 'balance', language: 'en-US', phrases: ['BAL', 'BALANCE', 'DUE', 'WHAT DO I OWE', 'AMOUNT DUE'] },
  { intent: 'balance', language: 'es-US', phrases: ['SALDO', 'CUANTO DEBO', 'DEUDA'] },
  { intent: 'pay', language: 'en-US', phrases: ['PAY', 'PAY NOW', 'PAYMENT', 'MAKE A PAYMENT'] },
  { intent: 'pay', language: 'es-US', phrases: ['PAGAR', 'PAGO', 'PAGAR AHORA'] },
  { intent: 'link', language: 'en-US', phrases: ['LINK', 'PAY LINK', 'PAY BY LINK', 'SEND LINK'] },
  { intent: 'link', language: 'es-US', phrases: ['ENLACE', 'LINK DE PAGO', 'ENLACE DE PAGO'] },
  { intent: 'person', language: 'en-US', phrases: ['CALL', 'CALL ME', 'AGENT', 'PERSON', 'REPRESENTATIVE', 'SPECIALIST', 'HUMAN'] },
  { intent: 'person', language: 'es-US', phrases: ['LLAMAR', 'LLAMAME', 'AGENTE', 'PERSONA', 'ESPECIALISTA', 'REPRESENTANTE'] },
];

/** Words of a confirmation, read as one only while a payment quote is waiting for it. */
const CONFIRM: Record<string, Locale> = { YES: 'en-US', Y: 'en-US', YEP: 'en-US', OK: 'en-US', CONFIRM: 'en-US', SI: 'es-US', CONFIRMAR: 'es-US' };
/** Words declining an offer, read as such only while one is waiting (NO alone says no language). */
const DECLINE: Record<string, Locale | null> = { NO: null, N: null, 'NO THANKS': 'en-US', NEXT: 'en-US', 'NO GRACIAS': 'es-US', SIGUIENTE: 'es-US', OTRA: 'es-US' };

// A policy number as the insurer prints them: letters, digits and dashes with at least two digits.
const POLICY_NUMBER = /^[A-Z0-9][A-Z0-9-]{3,30}$/;
const SPANISH_HINTS = /\b(HOLA|GRACIAS|POR FAVOR|QUIERO|NECESITO|AYUDA|POLIZA|BUENOS|BUENAS)\b/;

/**
 * What an inbound text asks for. `quotePending` or `offerPending`: a payment quote or a retention offer
 * waits for the customer's yes, so YES / SÍ confirm it (otherwise YES is a carrier opt-in keyword,
 * handled before this) and, for an offer, NO declines it; `choicePending`: a bare number answers. A phrase may
 * be followed by a policy number ("PAY HM-A-200874", "SALDO HM-A-200874"). Pure.
 */
export const classifyIntent = (body: string, o: Pending): ClassifiedText => {
  const words = normalizeWords(body);
  if ((o.quotePending || o.offerPending) && Object.hasOwn(CONFIRM, words)) return { intent: 'confirm', policyNumber: null, language: CONFIRM[words]! };
  if (o.offerPending && Object.hasOwn(DECLINE, words)) return { intent: 'decline', policyNumber: null, language: DECLINE[words]! };
  if (o.choicePending && /^\d{1,2}$/.test(words)) return { intent: 'choice', policyNumber: null, language: null, choice: Number(words) };
  for (const rule of RULES) {
    for (const phrase of rule.phrases) {
      if (words !== phrase && !words.startsWith(`${phrase} `)) continue;
      const rest = words.slice(phrase.length).trim();
      if (rest === '') return { intent: rule.intent, policyNumber: null, language: rule.language };
      if (POLICY_NUMBER.test(rest) && /\d.*\d/.test(rest)) return { intent: rule.intent, policyNumber: rest, language: rule.language };
    }
  }
  return { intent: null, policyNumber: null, language: SPANISH_HINTS.test(words) ? 'es-US' : null };
};
