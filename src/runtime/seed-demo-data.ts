import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPolicies } from '../import/import-policies.js';
import type { InfraLogger } from '../infra/infra-logger.js';
import { hasPolicyholders } from '../policies/has-policyholders.js';
import { addFirstSpecialist } from '../retention/add-first-specialist.js';
import type { GatewayServices } from './gateway-services.js';

const DEMO_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../demo/policyholders.csv');

/**
 * Demo policyholders (demo/policyholders.csv) and one retention specialist.
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
  await addFirstSpecialist(s.db, { name: 'Dana Whitfield', phone: '+12025550188', email: 'dana.whitfield@example.com', skills: ['retention', 'payments'] });
  log.info({ imported: report.imported, unchanged: report.unchanged, rejected: report.rejected }, 'demo policyholders loaded');
};
