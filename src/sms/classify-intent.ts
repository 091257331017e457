import type { Locale } from '../flows/inbound-call.machine.js';

/** What a text that is not a carrier keyword asks for. */
export type SmsIntent = 'balance' | 'pay' | 'link' | 'confirm' | 'cancel-policy' | 'person';

export type ClassifiedText = {
  intent: SmsIntent | null;
  /** A policy number the customer named ("PAY HM-A-200874"), as written, upper case. */
  policyNumber: string | null;
  /** The language the words are in, when they say it (SALDO, PAGAR...); null for "OK" or a number. */
  language: Locale | null;
};

/** Words in upper case without accents or punctuation, so "Cancelar póliza." reads CANCELAR POLIZA. */
export const normalizeWords = (body: string): string =>
  body.normalize('NFD').replace(/\p{Mn}/gu, '').toUpperCase().replace(/[^A-Z0-9-]+/g, ' ').trim();

type Rule = { intent: SmsIntent; language: Locale; phrases: readonly string[] };

// why: whole phrases at the start of the message, not words anywhere: "I can't pay" is not PAY,
// and "CANCEL" alone is an opt-out (classify-keyword.ts), never a policy action.
const RULES: readonly Rule[] = [
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

// A policy number as the insurer prints them: letters, digits and dashes with at least two digits.
const POLICY_NUMBER = /^[A-Z0-9][A-Z0-9-]{3,30}$/;
const SPANISH_HINTS = /\b(HOLA|GRACIAS|POR FAVOR|QUIERO|NECESITO|AYUDA|POLIZA|BUENOS|BUENAS)\b/;

/**
 * What an inbound text asks for. `quotePending`: a payment quote waits for the customer's yes, so
 * YES / SÍ confirm it (otherwise YES is a carrier opt-in keyword, handled before this). A phrase may
 * be followed by a policy number ("PAY HM-A-200874", "SALDO HM-A-200874"). Pure.
 */
export const classifyIntent = (body: string, o: { quotePending: boolean }): ClassifiedText => {
  const words = normalizeWords(body);
  if (o.quotePending && Object.hasOwn(CONFIRM, words)) return { intent: 'confirm', policyNumber: null, language: CONFIRM[words]! };
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
