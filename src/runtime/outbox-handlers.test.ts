import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JOB_DEFINITIONS } from './job-catalog.js';
import { checkJobPayload } from '../jobs/job-definition.js';
import type { Payments } from '../payments/payments-module.js';
import { PaymentTopics } from '../payments/payment-topics.js';
import { DEFAULT_CONTACT_POLICY } from '../contact/contact-policy-config.js';
import { createOutboxJobs, type OutboxJobDeps } from './outbox-handlers.js';

// why: building the registry only closes over its dependencies; none is called here.
const unused = {} as never;
const deps: OutboxJobDeps = {
  db: unused, clock: unused, smsSender: unused, fromNumber: '+18005550100', publicBaseUrl: 'https://gw.example',
  insurerName: 'Harbor Mutual', payments: { deps: unused, reconcile: unused } as unknown as Payments, contactPolicy: DEFAULT_CONTACT_POLICY, homeZone: 'America/New_York',
  calls: unused, businessHours: unused,
};

test('the worker registry has exactly one handler for every job definition the outbox writer knows', () => {
  const registered = createOutboxJobs(deps).map((j) => j.definition.topic).sort();
  assert.deepEqual(registered, JOB_DEFINITIONS.map((d) => d.topic).sort());
  assert.equal(new Set(registered).size, registered.length);
});

test('every topic payments writes by name (PaymentTopics) has a definition', () => {
  for (const topic of Object.values(PaymentTopics)) assert.ok(JOB_DEFINITIONS.some((d) => d.topic === topic), topic);
});

// Version 1 is today's shape: payloads as the writers of the previous release stored them stay valid,
// so rows waiting in a live outbox still run after the upgrade.
test('payloads stored before job definitions existed are accepted (version 1)', () => {
  const stored: [string, Record<string, unknown>][] = [
    ['sms.send', { to: '+15550100', body: 'reminder' }],
    ['sms.send', { to: '+15550100', body: 'hi', from: '+18005550100' }],
    ['callbacks.book', { phone: '+15550100', policyholderId: null, policyId: null, reason: 'asked', locale: 'es-US', callSid: 'CA1' }],
    ['retention.cancel-request', { policyId: 'p1', policyholderId: 'h1', callSid: 'CA1' }],
    ['retention.cancel-request', { policyId: null, policyholderId: null, callSid: 'CA1' }],
    ['payments.charge-due', { dueId: 'd1', paymentMethodId: 'pm_1', channel: 'ivr', callSid: 'CA1' }],
    ['payments.charge-due', { dueId: 'd1', channel: 'ivr', callSid: 'CA1' }],
    ['recovery.start', { dueId: 'd1', declineClass: 'retry-later', attemptId: 'a1' }],
    ['payments.refund-duplicate', { attemptId: 'a1' }],
    ['payments.expire-pay-link', { payLinkId: 'l1' }],
    ['payments.reconcile', { sinceHours: 48 }],
    ['payments.reconcile', {}],
  ];
  for (const [topic, payload] of stored) assert.doesNotThrow(() => checkJobPayload(topic, payload), `${topic} ${JSON.stringify(payload)}`);
});
