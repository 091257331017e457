import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import type { AppDeps } from '../../src/app.js';
import { CONSOLE_ROLES, type ConsoleRole } from '../../src/console/console-role.js';
import { createConsoleUser } from '../../src/console/console-users.js';
import { createSpecialist } from '../../src/retention/create-specialist.js';
import { createManualClock } from '../../src/shared/clock.js';
import { buildTestApp } from '../support/build-test-app.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { complianceRoutes } from '../../src/evidence/compliance.routes.js';
import { createPolicyPaymentRecords } from '../../src/payments/policy-payment-records.js';
import { specialistsRoutes } from '../../src/retention/specialists.routes.js';
import { sequenceAll, testSigner } from '../evidence/support.js';

export const PASSWORD = 'correct horse battery';

/**
 * The gateway app listening on loopback for a browser, on a fresh database with a console user of
 * each role (username = role; the specialist's bound to a retention specialist) and a clock the test moves.
 */
export const startConsoleServer = async (o: { plugins?: AppDeps['plugins']; start?: string; outboxQueue?: AppDeps['outboxQueue'] } = {}) => {
  const t: TestDb = await createTestDb();
  const clock = createManualClock(o.start ?? '2026-12-03T15:00:00Z');
  // The APIs the pages use that `npm start` adds as plugins: evidence (compliance) and the specialists registry.
  const plugins: NonNullable<AppDeps['plugins']> = [
    complianceRoutes({
      db: t.db, clock, signer: testSigner(), zone: 'America/New_York', payments: createPolicyPaymentRecords(t.db),
      kickSequencer: async () => void (await sequenceAll(t.db, clock)),
    }),
    specialistsRoutes({ db: t.db, clock, homeZone: 'America/New_York' }),
    ...(o.plugins ?? []),
  ];
  const { app } = await buildTestApp(t.db, { clock, plugins, ...(o.outboxQueue ? { outboxQueue: o.outboxQueue } : {}) });
  const specialist = await createSpecialist(t.db, clock, { name: 'Sam Rivera', phone: '+15550100001', languages: ['en-US'] }, 'America/New_York');
  const users = {} as Record<ConsoleRole, { id: string; username: string }>;
  for (const role of CONSOLE_ROLES) {
    const u = await createConsoleUser(t.db, clock, {
      username: role, displayName: role === 'specialist' ? 'Sam Rivera' : `${role[0]!.toUpperCase()}${role.slice(1)} User`,
      role, password: PASSWORD, specialistId: role === 'specialist' ? specialist.id : null,
    });
    users[role] = { id: u.id, username: u.username };
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    t, app: app as FastifyInstance, clock, baseUrl, users, specialistId: specialist.id,
    close: async () => {
      await app.close();
      await t.drop();
    },
  };
};

export type ConsoleServer = Awaited<ReturnType<typeof startConsoleServer>>;

/**
 * A test file's console server and browser, started before its tests and closed after them: read
 * `rig.server` and `rig.browser` inside the tests.
 */
export const useConsoleServer = (o: Parameters<typeof startConsoleServer>[0] = {}) => {
  const rig = {} as { server: ConsoleServer; browser: Browser };
  before(async () => {
    [rig.server, rig.browser] = await Promise.all([startConsoleServer(o), launchBrowser()]);
  });
  after(async () => {
    await rig.browser?.close();
    await rig.server?.close();
  });
  return rig;
};
