import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFailedDebitHeader } from './failed-debit-csv-columns.js';
import { parseFailedDebitRow, type RawFailedDebitRecord } from './parse-failed-debit-row.js';

const now = new Date('2026-12-04T12:00:00Z');
const good: RawFailedDebitRecord = {
  debit_ref: ' FD-1001 ', policy_number: 'HM-A-200874', due_date: '2026-12-01', amount: '$1,118.20', currency: 'USD',
  failed_at: '2026-12-01T09:30:00-05:00', method: 'Card', decline_code: 'Insufficient_Funds', return_code: '', reason: 'Declined by issuer',
};
const reasonsOf = (raw: RawFailedDebitRecord) => {
  const r = parseFailedDebitRow(raw, { now });
  assert.equal(r.ok, false, 'the row should be refused');
  return r.ok ? [] : r.reasons;
};

test('a good row is normalised: trimmed reference, cents, lower-case currency and code, the failure time as an instant', () => {
  const r = parseFailedDebitRow(good, { now });
  assert.ok(r.ok);
  assert.deepEqual(r.row, {
    debitRef: 'FD-1001', policyNumber: 'HM-A-200874', dueDate: '2026-12-01', amountCents: 111_820, currency: 'usd',
    failedAt: new Date('2026-12-01T14:30:00Z'), method: 'card', declineCode: 'insufficient_funds', returnCode: null, reason: 'Declined by issuer',
  });
});

test('a bank debit with a return code only, and the currency left out, defaults to USD', () => {
  const r = parseFailedDebitRow({ ...good, method: 'bank', decline_code: '', return_code: 'r01', reason: '', currency: undefined }, { now });
  assert.ok(r.ok);
  assert.equal(r.row.returnCode, 'R01');
  assert.equal(r.row.currency, 'usd');
  assert.equal(r.row.declineCode, null);
});

test('every problem of a row is named by its column', () => {
  const reasons = reasonsOf({ ...good, debit_ref: '', due_date: '2026-02-30', amount: '0', method: 'cheque', failed_at: 'yesterday' });
  assert.deepEqual(reasons.map((r) => r.split(':')[0]).sort(), ['amount', 'debit_ref', 'due_date', 'failed_at', 'method']);
  assert.ok(reasons.some((r) => /must be more than zero/.test(r)));
  assert.ok(reasons.some((r) => /"cheque" is not card or bank/.test(r)));
});

test('a failure time needs an offset and may not be in the future', () => {
  assert.match(reasonsOf({ ...good, failed_at: '2026-12-01T09:30:00' })[0]!, /^failed_at: must be an ISO 8601 date-time with Z or an offset/);
  assert.match(reasonsOf({ ...good, failed_at: '2026-12-05T09:30:00Z' })[0]!, /^failed_at: .* is in the future/);
});

test('a row must say why it failed, and a return code belongs to a bank debit', () => {
  assert.match(reasonsOf({ ...good, decline_code: '', reason: ' ' })[0]!, /give a decline_code, a return_code or a reason/);
  assert.match(reasonsOf({ ...good, return_code: 'R01' })[0]!, /R01 is a bank return code but method is card/);
  assert.match(reasonsOf({ ...good, method: 'bank', return_code: 'X9' })[0]!, /^return_code: .*not a bank return code/);
});

test('the header is matched leniently and a header without a required column is refused, naming it', () => {
  assert.deepEqual(checkFailedDebitHeader(['Debit Ref', 'policy-number', 'DUE_DATE', 'amount', 'failed at', 'method']),
    ['debit_ref', 'policy_number', 'due_date', 'amount', 'failed_at', 'method']);
  assert.throws(() => checkFailedDebitHeader(['debit_ref', 'policy_number', 'amount', 'failed_at', 'method', 'card_number']),
    /unknown column\(s\): "card_number"; missing required column\(s\): due_date/);
});
