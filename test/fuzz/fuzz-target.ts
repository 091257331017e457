import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import { CONSOLE_ROLES, type ConsoleRole } from '../../src/console/console-role.js';
import { createConsoleUser } from '../../src/console/console-users.js';
import { openSession } from '../../src/console/console-sessions.js';
import { complianceRoutes } from '../../src/evidence/compliance.routes.js';
import { createPayments, type Payments } from '../../src/payments/payments-module.js';
import { createPolicyPaymentRecords } from '../../src/payments/policy-payment-records.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import type { DeclaredRoute } from '../../src/shared/webhook-edge/route-input.js';
import { buildTestApp, TEST_AUTH_TOKEN, TEST_PUBLIC_URL } from '../support/build-test-app.js';
import { seedPolicyholder } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { sequenceAll, testSigner } from '../evidence/support.js';
import { loadNoticeTemplates } from '../../src/notices/notice-templates.js';
import { noticesRoutes } from '../../src/notices/notices.routes.js';
import { createSpecialist } from '../../src/retention/create-specialist.js';
import { specialistsRoutes } from '../../src/retention/specialists.routes.js';

/** The callers the fuzz suite's valid requests come from: some known (deep flows), some not. */
export const KNOWN_CALLERS = ['+12025550143', '+13125550143', '+14155550101'];

/** The whole app as `npm start` registers its routes (webhooks, payments, compliance), on a fresh database. */
export type FuzzTarget = {
  t: TestDb;
  app: FastifyInstance;
  routes: readonly DeclaredRoute[];
  policyNumbers: string[];
  tokens: { compliance: string; specialist: string; operator: string };
  /** The specialist the specialist token is bound to. */
  specialistId: string;
  /** A signed-in console user of each role: the session cookie's value and the session's CSRF token. */
  sessions: Record<ConsoleRole, { cookie: string; csrf: string }>;
  signTwilio: (url: string, params: Record<string, string | string[]>) => string;
  signStripe: (payload: string) => string;
  close: () => Promise<void>;
};

export const startFuzzTarget = async (): Promise<FuzzTarget> => {
  const t = await createTestDb();
  const policyNumbers: string[] = [];
  for (const [i, phone] of KNOWN_CALLERS.entries()) {
    const h = await seedPolicyholder(t.db, { firstName: ['James', 'María', 'Ana'][i]!, phone, policyNumber: `FZ-${i}`, locale: i === 1 ? 'es-US' : 'en-US' });
    await t.db.query(`insert into premium_dues (id, policy_id, due_date, amount_cents) values ($1, $2, '2026-12-01', 12450)`, [newId(), h.policyId]);
    policyNumbers.push(`FZ-${i}`);
  }
  const payments: Payments = await createPayments({
    db: t.db, clock: systemClock, log: { info: () => undefined, warn: () => undefined }, dispatch: () => undefined,
    config: { freeLookDays: 30, publicBaseUrl: TEST_PUBLIC_URL, maxNetworkRetries: 0, timeoutMs: 2_000 },
  });
  payments.fakeStripe!.setAutoDeliver(false);
  const compliance = complianceRoutes({
    db: t.db, clock: systemClock, signer: testSigner(), zone: 'America/New_York', payments: createPolicyPaymentRecords(t.db),
    kickSequencer: async () => void (await sequenceAll(t.db, systemClock)),
  });
  const notices = noticesRoutes({
    db: t.db, clock: systemClock, templates: loadNoticeTemplates(), dispatch: () => undefined,
    wording: { insurerName: 'Harbor Mutual', phone: '(800) 555-0100', graceDays: 30 },
    card: { name: 'Harbor Mutual', phone: '+18005550100', website: 'https://harbor.example' },
    from: '+18005550100', rateOf: () => 3, homeZone: 'America/New_York',
  });
  const specialists = specialistsRoutes({ db: t.db, clock: systemClock, homeZone: 'America/New_York' });
  const { app } = await buildTestApp(t.db, { plugins: [payments.plugin, compliance, notices, specialists] });
  await app.ready();
  // The specialist token speaks for a specialist, so GET /api/specialists/me reaches its record.
  const specialist = await createSpecialist(t.db, systemClock, { name: 'Fuzz Specialist', phone: '+15550100009', languages: ['en-US'] }, 'America/New_York');
  const tokens = {
    compliance: (await createApiToken(t.db, systemClock, { name: 'fuzz-compliance', role: 'compliance' })).token,
    specialist: (await createApiToken(t.db, systemClock, { name: 'fuzz-specialist', role: 'specialist', specialistId: specialist.id })).token,
    operator: (await createApiToken(t.db, systemClock, { name: 'fuzz-operator', role: 'operator' })).token,
  };
  const sessions = {} as FuzzTarget['sessions'];
  for (const role of CONSOLE_ROLES) {
    const u = await createConsoleUser(t.db, systemClock, { username: `fuzz-${role}`, role, password: 'fuzz-password-123', specialistId: role === 'specialist' ? specialist.id : null });
    const s = await openSession(t.db, systemClock, u.id);
    sessions[role] = { cookie: s.cookieValue, csrf: s.csrfToken };
  }
  const secret = payments.fakeStripe!.webhookSecret;
  return {
    t, app, routes: app.declaredRoutes, policyNumbers, tokens, specialistId: specialist.id, sessions,
    signTwilio: (url, params) => getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${TEST_PUBLIC_URL}${url}`, params as Record<string, string>),
    signStripe: (payload) => Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    close: async () => {
      await app.close();
      await payments.close();
      await t.drop();
    },
  };
};
