import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPolicies } from '../import/import-policies.js';
import type { InfraLogger } from '../infra/infra-logger.js';
import { seedDemoConsoleUsers } from '../console/seed-demo-users.js';
import { secretPath } from '../infra/data-dir.js';
import { hasPolicyholders } from '../policies/has-policyholders.js';
import { addMissingSpecialists } from '../retention/add-missing-specialists.js';
import { WEEKDAYS, type WorkingHours } from '../retention/working-hours.js';
import type { GatewayServices } from './gateway-services.js';

const DEMO_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../demo/policyholders.csv');

/** Around the clock, every day: a demo warm transfer finds someone at any hour. */
const ALL_DAY: WorkingHours = Object.fromEntries(WEEKDAYS.map((d) => [d, [['00:00', '24:00']]]));

/** The demo's specialists, available, on the simulator's numbers: one English speaker, one who speaks Spanish and English. */
export const DEMO_SPECIALISTS = [
  { name: 'Grace Holt', phone: '+15550100001', email: 'grace.holt@example.com', skills: ['retention', 'payments'], languages: ['en-US'] },
  { name: 'Ana Ruiz', phone: '+15550100002', email: 'ana.ruiz@example.com', skills: ['retention'], languages: ['es-US', 'en-US'] },
].map((s) => ({ ...s, languages: s.languages as ('en-US' | 'es-US')[], timeZone: 'America/New_York', workingHours: ALL_DAY, availability: 'available' as const }));

/**
 * Demo policyholders (demo/policyholders.csv), two retention specialists (DEMO_SPECIALISTS) and a
 * console user of each role (passwords in DATA_DIR/secrets/console-users.txt).
 * DEMO_DATA=on always loads them (idempotently); `auto` (the default) only when
 * no Twilio account is configured and the database has no policyholders yet,
 * so a production database is never touched.
 */
export const seedDemoData = async (s: GatewayServices, log: InfraLogger): Promise<void> => {
  if (s.config.demoData === 'off') return;
  if (s.config.demoData === 'auto') {
    if (!s.twilio.simulated) return;
    if (await hasPolicyholders(s.db)) return;
  }
  const report = await importPolicies({ input: DEMO_CSV, db: s.db, clock: s.clock });
  const specialists = await addMissingSpecialists(s.db, s.clock, DEMO_SPECIALISTS);
  log.info({ imported: report.imported, unchanged: report.unchanged, rejected: report.rejected, specialists }, 'demo policyholders loaded');
  const users = await seedDemoConsoleUsers(s.db, s.clock, secretPath(s.config.dataDir, 'console-users.txt'));
  if (users) log.info({ passwords: users, signIn: `http://127.0.0.1:${s.config.port}/console` }, 'demo console users created (admin, grace, ana, compliance, operator)');
};
