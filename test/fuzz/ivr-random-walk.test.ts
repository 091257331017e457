import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { newId } from '../../src/shared/ids.js';
import { buildTestApp, callSid, signedForm, TEST_ACCOUNT_SID } from '../support/build-test-app.js';
import { seedCard, seedDue, seedPolicy, seedPolicyholder, seedSpecialist } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

/**
 * A random walk through the IVR and the retention call (any key, speech or silence at any prompt, any
 * <Pay> result, any way a hold for a specialist ends), over signed webhooks. Every answer must be TwiML
 * the caller can act on (never a 5xx, never an empty response: dead air), and every walk must end in
 * a hang-up said aloud, a hold for a specialist that ends in a bridge, a callback offer or a goodbye.
 * Seeded: WALK_SEED to replay one, WALKS for a longer run.
 */
const WALKS = Number(process.env.WALKS ?? 120);
const SEED = Number(process.env.WALK_SEED ?? 20261204);
const MAX_STEPS = 45;

let t: TestDb;
let app: FastifyInstance;
before(async () => {
  t = await createTestDb();
  ({ app } = await buildTestApp(t.db));
  const maria = await seedPolicyholder(t.db, { firstName: 'Maria', phone: '+12025550143', policyNumber: 'HM-100234', zip: '20500' });
  await seedDue(t.db, maria.policyId, 12_450, '2026-12-15');
  await seedCard(t.db, maria.policyholderId);
  const carlos = await seedPolicyholder(t.db, { firstName: 'Carlos', phone: '+12025550150', policyNumber: 'HM-A-200874', locale: 'es-US' });
  await seedDue(t.db, await seedPolicy(t.db, carlos.policyholderId, 'HM-H-300412'), 9_675, '2026-12-05');
  await seedSpecialist(t.db, { name: 'Grace Holt', phone: '+15550100001', alwaysOn: true });
});
after(async () => {
  await app.close();
  await t.drop();
});

/** mulberry32: a small seeded generator, so a failing walk can be replayed. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true });
type Node = Record<string, unknown> & { ':@'?: Record<string, string> };
const verbsOf = (body: string): { name: string; attrs: Record<string, string>; text: string; children: Node[] }[] => {
  const doc = xml.parse(body) as Node[];
  const response = (doc.find((n) => 'Response' in n)?.Response ?? []) as Node[];
  return response.map((n) => {
    const name = Object.keys(n).find((k) => k !== ':@')!;
    const children = (n[name] ?? []) as Node[];
    const text = children.map((c) => ('#text' in c ? String(c['#text']) : '')).join('');
    return { name, attrs: n[':@'] ?? {}, text, children };
  });
};

const CALLERS = ['+12025550143', '+12025550150', '+13125550999'];
const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', '11', '100234', '20500', '15', '99'];
const SPEECH = ['pay', 'agent', 'cancel', 'expensive', 'yes', 'no', 'mistake', 'repeat', 'banana'];
const PAY_RESULTS = ['success', 'payment-connector-error', 'too-many-failed-attempts', 'caller-interrupted-with-star', 'caller-hung-up', 'validation-error'];
const HOLD_ENDS = ['bridged', 'ended', 'no-specialist', 'abandoned', 'ringing'] as const;

test(`${WALKS} random walks through the IVR never reach a 5xx, silence or a dead end`, async (ctx) => {
  const random = rng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const endings: Record<string, number> = {};
  for (let w = 0; w < WALKS; w++) {
    const params = { CallSid: callSid(900_000 + w), AccountSid: TEST_ACCOUNT_SID, From: pick(CALLERS), To: '+18005550100', CallStatus: 'in-progress' };
    let url = '/twilio/voice';
    let extra: Record<string, string> = {};
    let ending = '';
    const path: string[] = [];
    for (let step = 0; step < MAX_STEPS && !ending; step++) {
      const res = await app.inject(signedForm(url, { ...params, ...extra }));
      const where = `walk ${w} (seed ${SEED}) after ${path.join(' > ') || 'answering'}`;
      assert.ok(res.statusCode < 500, `${where}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      assert.equal(res.statusCode, 200, `${where}: ${res.body.slice(0, 300)}`);
      const verbs = verbsOf(res.body);
      assert.ok(verbs.length > 0, `${where}: an empty response is dead air`);
      const last = verbs.at(-1)!;
      extra = {};
      if (last.name === 'Hangup' && path.at(-1) === 'pay:caller-hung-up') {
        ending = 'caller hung up'; // nobody is there to hear anything
      } else if (last.name === 'Hangup') {
        assert.ok(verbs.some((v) => v.name === 'Say'), `${where}: hung up without a word: ${res.body}`);
        ending = /call you back/.test(res.body) ? 'callback' : 'goodbye';
      } else if (last.name === 'Redirect' && verbs.some((v) => v.name === 'Gather')) {
        const gather = verbs.find((v) => v.name === 'Gather')!;
        const r = random();
        if (r < 0.15) {
          url = last.text;
          path.push('silence');
        } else {
          url = gather.attrs.action!;
          extra = r < 0.3 ? { SpeechResult: pick(SPEECH), Confidence: '0.9' } : { Digits: pick(KEYS) };
          path.push(extra.Digits ?? `"${extra.SpeechResult}"`);
        }
      } else if (last.name === 'Gather') {
        url = last.attrs.action!;
        extra = { Digits: pick(KEYS) };
        path.push(extra.Digits!);
      } else if (last.name === 'Redirect') {
        url = last.text;
        path.push('redirect');
      } else if (last.name === 'Pay') {
        url = last.attrs.action!;
        const result = pick(PAY_RESULTS);
        extra = result === 'success' ? { Result: result, PaymentToken: 'pm_card_visa', PaymentCardNumber: 'xxxx-xxxx-xxxx-4242', PaymentCardType: 'visa' } : { Result: result };
        path.push(`pay:${result}`);
      } else if (last.name === 'Dial') {
        // On hold for a specialist: the wait ends one of the ways a transfer can stand.
        const conference = last.children.find((c) => 'Conference' in c);
        assert.ok(conference, `${where}: a Dial that is not a hold for a specialist: ${res.body}`);
        const how = pick(HOLD_ENDS);
        await t.db.query(
          `insert into warm_transfers (id, caller_call_sid, flow, conference_name, caller_phone, locale, reason, context, status, requested_at)
           values ($1, $2, 'ivr', $3, $4, 'en-US', 'asked', '{"reason":null,"offersMade":[],"offersDeclined":[]}', $5, now())
           on conflict (caller_call_sid) do update set status = excluded.status`,
          [newId(), params.CallSid, `transfer-${params.CallSid}`, params.From, how === 'abandoned' ? 'ringing' : how]);
        url = last.attrs.action!;
        extra = { DialCallStatus: 'answered', ...(how === 'abandoned' ? { CallStatus: 'completed' } : {}) };
        path.push(`hold:${how}`);
        if (how === 'abandoned') {
          const after = await app.inject(signedForm(url, { ...params, ...extra }));
          assert.equal(after.statusCode, 200, `${where}: ${after.body}`);
          ending = 'hung up on hold';
        }
      } else {
        assert.fail(`${where}: the caller's TwiML ends in ${last.name}: ${res.body.slice(0, 300)}`);
      }
    }
    endings[ending || 'still talking'] = (endings[ending || 'still talking'] ?? 0) + 1;
  }
  ctx.diagnostic(`endings (seed ${SEED}): ${JSON.stringify(endings)}`);
  // The walks reach the ends that matter, not only the first menu.
  assert.ok((endings.goodbye ?? 0) > 0, JSON.stringify(endings));
  assert.ok((endings['hung up on hold'] ?? 0) + (endings.callback ?? 0) > 0, JSON.stringify(endings));
});
