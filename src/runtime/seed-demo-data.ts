import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPolicies } from '../import/import-policies.js';
import type { InfraLogger } from '../infra/infra-logger.js';
import { newId } from '../shared/ids.js';
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
    const { rows } = await s.db.query<{ any: boolean }>('select exists (select 1 from policyholders) as any');
    if (rows[0]?.any) return;
  }
  const report = await importPolicies({ input: DEMO_CSV, db: s.db, clock: s.clock });
  await s.db.query(
    `insert into retention_specialists (id, name, phone_e164, email, skills)
     select $1, 'Dana Whitfield', '+12025550188', 'dana.whitfield@example.com', '{retention,payments}'
      where not exists (select 1 from retention_specialists)`,
    [newId()],
  );
  log.info({ imported: report.imported, unchanged: report.unchanged, rejected: report.rejected }, 'demo policyholders loaded');
};
