import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addMissingSpecialists } from '../../src/retention/add-missing-specialists.js';
import { findCandidates } from '../../src/retention/find-candidates.js';
import { DEMO_SPECIALISTS } from '../../src/runtime/seed-demo-data.js';
import { parseBusinessHours } from '../../src/shared/business-hours.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const clock = createManualClock('2026-12-06T07:30:00Z');
const defaultHours = parseBusinessHours('America/New_York Mon-Fri 08:00-20:00');

test('demo specialists: added once across restarts, available around the clock, the Spanish speaker first for a Spanish caller', async () => {
  assert.equal(await addMissingSpecialists(t.db, clock, DEMO_SPECIALISTS), 2);
  assert.equal(await addMissingSpecialists(t.db, clock, DEMO_SPECIALISTS), 0);
  // Sunday 02:30 in New York, outside the business hours: the demo still has someone to ring.
  const names = async (locale: string) => (await findCandidates(t.db, { callerLocale: locale, now: clock.now(), defaultHours })).map((s) => s.name);
  assert.deepEqual(await names('es-US'), ['Ana Ruiz', 'Grace Holt']);
  // Both speak English and neither was offered a call: the tie goes by id (the first added first).
  assert.deepEqual(await names('en-US'), ['Grace Holt', 'Ana Ruiz']);
  const { rows } = await t.db.query<{ phone_e164: string; languages: string[] }>('select phone_e164, languages from retention_specialists order by phone_e164');
  assert.deepEqual(rows, [{ phone_e164: '+15550100001', languages: ['en-US'] }, { phone_e164: '+15550100002', languages: ['es-US', 'en-US'] }]);
});
