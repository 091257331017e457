import type { Db } from '../db/pool.js';
import { CHARGE_DUE_TOPIC, createChargeDueForCallHandler } from '../ivr/charge-due-for-call.handler.js';
import type { OutboxHandlers } from '../jobs/outbox-worker.js';
import type { Payments } from '../payments/payments-module.js';
import { BOOK_CALLBACK_TOPIC, createBookCallbackHandler } from '../retention/book-callback.handler.js';
import { CANCEL_REQUEST_TOPIC, createRecordCancelRequestHandler } from '../retention/record-cancel-request.handler.js';
import type { Clock } from '../shared/clock.js';
import { loadSmsCatalog } from '../sms/sms-catalog.js';
import { createSendSmsHandler, SEND_SMS_TOPIC } from '../sms/send-sms.handler.js';
import type { SmsSender } from '../telephony/sms-sender.js';

/** Every outbox topic the gateway knows, with its handler: one table for the worker and the tests. */
export const createOutboxHandlers = (d: {
  db: Db;
  clock: Clock;
  smsSender: SmsSender;
  fromNumber: string;
  publicBaseUrl: string;
  insurerName: string;
  payments: Payments;
}): OutboxHandlers => {
  const sms = { db: d.db, sender: d.smsSender, defaultFrom: d.fromNumber, statusCallbackUrl: `${d.publicBaseUrl}/twilio/sms/status` };
  const now = () => d.clock.now();
  const smsCatalog = loadSmsCatalog();
  return {
    [SEND_SMS_TOPIC]: createSendSmsHandler(sms),
    [BOOK_CALLBACK_TOPIC]: createBookCallbackHandler({ ...sms, smsCatalog, insurerName: d.insurerName, now }),
    [CANCEL_REQUEST_TOPIC]: createRecordCancelRequestHandler({ db: d.db, now }),
    [CHARGE_DUE_TOPIC]: createChargeDueForCallHandler({ payments: d.payments.deps, sms, smsCatalog, insurerName: d.insurerName }),
    ...d.payments.handlers,
  };
};
