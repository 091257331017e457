import { TEST_ACCOUNT_SID } from '../support/build-test-app.js';
import type { FuzzCase } from './route-cases.js';

/** Inputs that once broke a route (found by hand or by the fuzz suite), replayed on every run. */
export const REGRESSIONS: FuzzCase[] = [
  // Postgres refused the NUL byte: 500 (issue 22).
  { method: 'GET', url: '/api/compliance/interactions?policy=%00', body: null, auth: 'valid', note: 'NUL policy in a search' },
  // "unsupported Unicode escape sequence": the caller heard the technical-problem apology, nothing was recorded (issue 22).
  {
    method: 'POST', url: '/twilio/voice', auth: 'valid', note: 'NUL in From',
    body: { kind: 'form', fields: [['CallSid', `CA${'e'.repeat(32)}`], ['AccountSid', TEST_ACCOUNT_SID], ['From', '+1202555\u00000143'], ['To', '+18005550100']] },
  },
  // A delivery status named after an Object.prototype member ranked as a function: Postgres refused it, 500 (issue 18's ledger, found by the fuzz suite).
  {
    method: 'POST', url: '/twilio/sms/status', auth: 'valid', note: 'MessageStatus toString',
    body: { kind: 'form', fields: [['MessageSid', `SM${'f'.repeat(32)}`], ['AccountSid', TEST_ACCOUNT_SID], ['MessageStatus', 'toString'], ['To', '+18005550100'], ['From', '+12025550143']] },
  },
  // An ErrorCode of "1e309" parsed to Infinity and Postgres refused it as an int: 500 (found by the fuzz suite).
  {
    method: 'POST', url: '/twilio/sms/status', auth: 'valid', note: 'ErrorCode 1e309',
    body: { kind: 'form', fields: [['MessageSid', `SM${'e'.repeat(32)}`], ['AccountSid', TEST_ACCOUNT_SID], ['MessageStatus', 'failed'], ['ErrorCode', '1e309'], ['To', '+18005550100'], ['From', '+12025550143']] },
  },
];
