import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { OutboxRow } from '../../src/jobs/outbox-rows.js';
import type { FakeStripe } from '../../src/payments/fake-stripe/fake-stripe-server.js';
import { createPayments, type Payments } from '../../src/payments/payments-module.js';
import { savePaymentMethod } from '../../src/payments/save-payment-method.js';
import { systemClock, type Clock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { buildTestApp, TEST_PUBLIC_URL } from '../support/build-test-app.js';
import { seedPolicyholder } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

export type Harness = {
  t: TestDb;
  app: FastifyInstance;
  payments: Payments;
  fake: FakeStripe;
  dispatched: OutboxRow[];
  /** A policyholder with a policy, one open due of $124.50 and optionally a saved test card. */
  seedDue: (o?: { card?: string; dueDate?: string; policyStatus?: string; inceptionDate?: string }) => Promise<{ dueId: string; policyId: string; holderId: string; phone: string }>;
  close: () => Promise<void>;
};

const silent = { info: () => undefined, warn: () => undefined };
let seq = 0;

/**
 * Payments exactly as main wires them (createPayments without a Stripe key →
 * the fake, real SDK), on a fresh database, with the gateway app listening on
 * loopback so the fake's signed webhooks arrive over HTTP.
 */
export const startHarness = async (o: { clock?: Clock; autoDeliver?: boolean } = {}): Promise<Harness> => {
  const t = await createTestDb();
  const clock = o.clock ?? systemClock;
  const dispatched: OutboxRow[] = [];
  const payments = await createPayments({
    db: t.db, clock, log: silent, dispatch: (rows) => dispatched.push(...rows),
    config: { freeLookDays: 30, publicBaseUrl: TEST_PUBLIC_URL, maxNetworkRetries: 1, timeoutMs: 2_000 },
  });
  const fake = payments.fakeStripe!;
  const { app } = await buildTestApp(t.db, { clock, plugins: [payments.plugin] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  fake.setWebhookUrl(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/stripe/webhook`);
  fake.setAutoDeliver(o.autoDeliver ?? true);
  return {
    t, app, payments, fake, dispatched,
    seedDue: async (s = {}) => {
      seq++;
      const phone = `+1202555${String(1000 + seq).slice(-4)}`;
      const h = await seedPolicyholder(t.db, { firstName: 'Ana', phone, policyNumber: `HM-${newId().slice(-8)}` });
      await t.db.query(`insert into consents (phone_e164, channel, granted, source, recorded_at, policyholder_id) values ($1, 'sms', true, 'import', now(), $2)`, [phone, h.policyholderId]);
      if (s.policyStatus || s.inceptionDate) {
        await t.db.query('update policies set status = coalesce($2, status), inception_date = $3 where id = $1', [h.policyId, s.policyStatus ?? null, s.inceptionDate ?? null]);
      }
      const dueId = newId();
      await t.db.query(`insert into premium_dues (id, policy_id, due_date, amount_cents) values ($1, $2, $3, 12450)`, [dueId, h.policyId, s.dueDate ?? '2026-12-01']);
      if (s.card !== undefined) await savePaymentMethod({ policyholderId: h.policyholderId, paymentMethodId: s.card }, payments.deps);
      return { dueId, policyId: h.policyId, holderId: h.policyholderId, phone };
    },
    close: async () => {
      await fake.idle();
      await app.close();
      await payments.close();
      await t.drop();
    },
  };
};

/** The due, its policy and its attempts as a test wants to see them. */
export const dueState = async (t: TestDb, dueId: string) => {
  const due = (await t.db.query(`select d.status, p.paid_to_date, p.next_due_date, p.status as policy_status
                                   from premium_dues d join policies p on p.id = d.policy_id where d.id = $1`, [dueId])).rows[0];
  const attempts = (await t.db.query(
    `select attempt_no, status, decline_class, decline_code, failure_reason, provider_payment_id, idempotency_key, refunded_cents
       from payment_attempts where due_id = $1 order by attempt_no`, [dueId])).rows;
  return { ...due, attempts };
};

export const evidenceTypes = async (t: TestDb, dueId: string): Promise<string[]> =>
  (await t.db.query(
    `select e.type from evidence_events e join interactions i on i.id = e.interaction_id
      where i.kind = 'payment' and i.provider_ref = $1 order by e.seq`, [`due:${dueId}`])).rows.map((r) => r.type);
