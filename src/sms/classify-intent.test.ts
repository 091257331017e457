import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyIntent } from './classify-intent.js';

const idle = { quotePending: false };

test('balance, pay, link, person and cancel-policy in English and Spanish, whatever the case, accents and punctuation', () => {
  const cases: [string, string, string][] = [
    ['BAL', 'balance', 'en-US'], ['  balance? ', 'balance', 'en-US'], ['Due', 'balance', 'en-US'], ['saldo', 'balance', 'es-US'], ['¿Cuánto debo?', 'balance', 'es-US'],
    ['PAY', 'pay', 'en-US'], ['pay now!', 'pay', 'en-US'], ['Pagar', 'pay', 'es-US'],
    ['link', 'link', 'en-US'], ['ENLACE', 'link', 'es-US'],
    ['call me', 'person', 'en-US'], ['Agente', 'person', 'es-US'], ['llámame', 'person', 'es-US'],
    ['CANCEL POLICY', 'cancel-policy', 'en-US'], ['cancel my policy.', 'cancel-policy', 'en-US'], ['Cancelar póliza', 'cancel-policy', 'es-US'], ['CANCELAR MI POLIZA', 'cancel-policy', 'es-US'],
  ];
  for (const [body, intent, language] of cases) assert.deepEqual(classifyIntent(body, idle), { intent, policyNumber: null, language }, body);
});

test('a policy number after the phrase is kept; other words after it are not an intent', () => {
  assert.deepEqual(classifyIntent('PAY HM-A-200874', idle), { intent: 'pay', policyNumber: 'HM-A-200874', language: 'en-US' });
  assert.deepEqual(classifyIntent('saldo hm-h-300412', idle), { intent: 'balance', policyNumber: 'HM-H-300412', language: 'es-US' });
  assert.equal(classifyIntent('pay attention to this', idle).intent, null);
  assert.equal(classifyIntent('I cannot pay', idle).intent, null);
  assert.equal(classifyIntent('PAY ME BACK', idle).intent, null);
});

test('YES confirms only while a quote waits; bare CANCEL and STOP are never policy actions', () => {
  assert.equal(classifyIntent('yes', idle).intent, null);
  assert.deepEqual(classifyIntent('Yes!', { quotePending: true }), { intent: 'confirm', policyNumber: null, language: 'en-US' });
  assert.deepEqual(classifyIntent('sí', { quotePending: true }), { intent: 'confirm', policyNumber: null, language: 'es-US' });
  assert.equal(classifyIntent('CANCEL', idle).intent, null);
  assert.equal(classifyIntent('cancel', { quotePending: true }).intent, null);
  assert.equal(classifyIntent('STOP', idle).intent, null);
});

test('text we do not understand: no intent, a language when the words give one', () => {
  assert.deepEqual(classifyIntent('hola, necesito ayuda con mi póliza', idle), { intent: null, policyNumber: null, language: 'es-US' });
  assert.deepEqual(classifyIntent('what?', idle), { intent: null, policyNumber: null, language: null });
  assert.deepEqual(classifyIntent('', idle), { intent: null, policyNumber: null, language: null });
  assert.deepEqual(classifyIntent('\u0000\u0001\uFFFD'.repeat(400), idle), { intent: null, policyNumber: null, language: null });
});

test('a cancellation talked through by text: CANCEL NOW and KEEP always; YES, NO and numbers only while asked', () => {
  assert.deepEqual(classifyIntent('Cancel now', idle), { intent: 'cancel-now', policyNumber: null, language: 'en-US' });
  assert.deepEqual(classifyIntent('cancelar ahora', idle), { intent: 'cancel-now', policyNumber: null, language: 'es-US' });
  assert.deepEqual(classifyIntent('CANCEL NOW HM-A-200874', idle), { intent: 'cancel-now', policyNumber: 'HM-A-200874', language: 'en-US' });
  assert.deepEqual(classifyIntent('keep it', idle), { intent: 'keep', policyNumber: null, language: 'en-US' });
  assert.deepEqual(classifyIntent('Mantener', idle), { intent: 'keep', policyNumber: null, language: 'es-US' });
  const offer = { quotePending: false, offerPending: true };
  assert.deepEqual(classifyIntent('yes', offer), { intent: 'confirm', policyNumber: null, language: 'en-US' });
  assert.deepEqual(classifyIntent('No.', offer), { intent: 'decline', policyNumber: null, language: null });
  assert.deepEqual(classifyIntent('no gracias', offer), { intent: 'decline', policyNumber: null, language: 'es-US' });
  assert.equal(classifyIntent('no', idle).intent, null);
  const asked = { quotePending: false, choicePending: true };
  assert.deepEqual(classifyIntent(' 3 ', asked), { intent: 'choice', policyNumber: null, language: null, choice: 3 });
  assert.equal(classifyIntent('3', idle).intent, null);
  assert.equal(classifyIntent('123', asked).intent, null);
});
