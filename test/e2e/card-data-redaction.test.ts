import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createScriptedInput } from '../../src/telephony/simulator/index.js';
import { evidenceParts } from '../support/evidence-parts.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicyholder } from '../support/seed.js';
import { captureLog, dumpDatabase } from '../support/stored-text.js';

/**
 * PCI: a card number a caller keys or says at any prompt, or texts, is masked
 * before anything is stored or logged (issue 16, item 3). The whole database
 * and the whole log are searched, not the places we expect it to land.
 */
const log = captureLog();
let h: GatewayHarness;
before(async () => {
  h = await startGatewayHarness({ logStream: log.stream });
});
after(async () => h.close());

const PAN = '4111111111111111';
const SPOKEN = 'four one one one one one one one one one one one one one one one';

test('a card number keyed and said at the policy-number prompt and texted never reaches storage or the log', async () => {
  const m = await seedPolicyholder(h.t.db, { firstName: 'Maria', phone: '+12025550811', policyNumber: 'HM-A-200874', zip: '20500' });
  await seedDue(h.t.db, m.policyId, 12_450);

  const c = await h.sim.placeCall({
    from: '+13125550911',
    to: '+18005550100',
    input: createScriptedInput([{ digits: `${PAN}#` }, { speech: SPOKEN, confidence: 0.8 }, { digits: '200874#' }, { digits: '20500' }, { digits: '2' }, 'hangup']),
  });
  assert.deepEqual(c.errors, []);
  // Legitimate input still works after the masked attempts: the caller is identified and hears the due.
  assert.match(c.said.join(' '), /Thank you, Maria\./);
  assert.match(c.said.join(' '), /Your premium of \$124\.50/);

  const texts = [`my card is ${PAN.replace(/(\d{4})(?=\d)/g, '$1-')} please charge it`, PAN, `card ${PAN.replace(/(\d{4})(?=\d)/g, '$1 ')}`];
  for (const body of texts) {
    const r = await h.sim.sendSms({ from: m.phone, to: '+18005550100', body });
    assert.equal(r.error, undefined);
  }

  const dump = await dumpDatabase(h.t.url);
  const logged = log.text();
  assert.ok(log.lines.length > 0, 'the log was captured');
  for (const needle of [PAN, SPOKEN, ...texts]) {
    assert.ok(!dump.includes(needle), `the database holds ${needle}`);
    assert.ok(!logged.includes(needle), `the log holds ${needle}`);
  }
  assert.ok(!dump.replace(/[ -]/g, '').includes(PAN), 'the database holds the number with separators');

  // Not vacuous: each attempt is recorded, masked to the last four digits.
  const heard = (await evidenceParts(h.t.db, 'e.provider_ref = $1', [c.callSid])).filter((p) => p.type === 'ivr.input');
  assert.equal(heard[0]?.payload.digits, '[pan:1111]');
  assert.equal(heard[1]?.payload.speech, '[pan:1111]');
  assert.equal(heard[2]?.payload.digits, '200874');
  assert.equal((dump.match(/\[pan:1111\]/g) ?? []).length >= 5, true, 'the masked forms are stored');
});
