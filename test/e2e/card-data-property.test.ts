import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { savePaymentMethod } from '../../src/payments/save-payment-method.js';
import { passesLuhn } from '../../src/shared/redact.js';
import type { GatherInput, GatherRequest, InputProvider } from '../../src/telephony/simulator/index.js';
import { PAY_RESULTS } from '../../src/shared/webhook-edge/twilio-pay-results.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicy, seedPolicyholder } from '../support/seed.js';
import { captureLog, dumpDatabase, redisAsText, tablesAsText } from '../support/stored-text.js';

/**
 * Property (issue 16, item 3): a card number (13-19 digits passing Luhn),
 * keyed or said at every prompt of a random walk through the IVR and texted
 * with random spaces and dashes, appears nowhere in the database (every
 * column of every row as text after each run, and pg_dump's dump at the end)
 * or in the log. Fixed seed and
 * a bounded number of runs keep it reproducible and within ~20 s.
 */
const SEED = 1116;
const RUNS = 30;

const log = captureLog();
let h: GatewayHarness;
before(async () => {
  h = await startGatewayHarness({ logStream: log.stream });
});
after(async () => h.close());

/** `body` and the digit that makes it pass the Luhn check. */
const withCheckDigit = (body: string): string => body + [...'0123456789'].find((d) => passesLuhn(body + d))!;

// A leading 3-6 (the card networks' ranges) keeps the number from matching zero-padded ids by chance.
const panArb = fc
  .tuple(fc.integer({ min: 13, max: 19 }), fc.integer({ min: 3, max: 6 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 }))
  .map(([length, first, rest]) => {
    return withCheckDigit(`${first}${rest.slice(0, length - 2).join('')}`);
  });

const WORDS = {
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
  es: ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve'],
};
type Entry = 'keyed' | 'numerals' | 'grouped' | 'words-en' | 'words-es';
const spoken = (pan: string, how: Exclude<Entry, 'keyed'>): string => {
  if (how === 'numerals') return pan;
  if (how === 'grouped') return pan.replace(/(\d{4})(?=\d)/g, '$1 ');
  return [...pan].map((d) => WORDS[how === 'words-en' ? 'en' : 'es'][Number(d)]).join(' ');
};

const walkArb = fc.record({
  caller: fc.constantFrom('card-on-file', 'no-card', 'unknown', 'spanish', 'two-policies'),
  // How the number is entered at each prompt, and what the caller does next there.
  entries: fc.array(fc.constantFrom<Entry>('keyed', 'numerals', 'grouped', 'words-en', 'words-es'), { minLength: 16, maxLength: 16 }),
  // Keys that lead on (pay, amount due, repeat, language) are likelier, so walks go deeper.
  moves: fc.array(
    fc.record({
      key: fc.oneof({ arbitrary: fc.constantFrom('1', '2', '9', '8'), weight: 3 }, { arbitrary: fc.constantFrom(...'034567'), weight: 1 }),
      identify: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
    }),
    { minLength: 3, maxLength: 12 },
  ),
  pay: fc.constantFrom(...PAY_RESULTS),
  queue: fc.constantFrom('bridged', 'hangup', 'queue-full', 'leave'),
});

const textArb = fc.record({
  groups: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 19, maxLength: 19 }),
  gaps: fc.array(fc.constantFrom(' ', '-', ' - ', ''), { minLength: 19, maxLength: 19 }),
  before: fc.constantFrom('', 'my card is ', 'Charge it to ', 'tarjeta: '),
  after: fc.constantFrom('', ' thanks', ' exp 12/29', ' cvv 123', ' 1229'),
});
const formatted = (pan: string, t: { groups: number[]; gaps: string[] }): string => {
  const parts: string[] = [];
  for (let at = 0, i = 0; at < pan.length; i++) {
    parts.push(pan.slice(at, at + t.groups[i]!));
    at += t.groups[i]!;
  }
  return parts.map((p, i) => (i === 0 ? p : `${t.gaps[i]}${p}`)).join('');
};

/**
 * The caller: at every prompt, first the card number (keyed, or said when the
 * prompt listens for speech), then the walk's next move (a random key, or the
 * right policy number and ZIP at the identification prompts).
 */
type Walk = typeof walkArb extends fc.Arbitrary<infer W> ? W : never;

const walker = (pan: string, walk: Walk, policyDigits: string): InputProvider & { prompts: number } => {
  let asks = 0;
  let entry = 0;
  let move = 0;
  const provider = {
    prompts: 0,
    gather: async (r: GatherRequest): Promise<GatherInput> => {
      if (asks++ % 2 === 0) {
        provider.prompts++;
        const how = walk.entries[entry++ % walk.entries.length]!;
        if (how === 'keyed' || !r.input.includes('speech')) return { digits: `${pan}#` };
        return { speech: spoken(pan, how), confidence: 0.7 };
      }
      const m = walk.moves[move++];
      if (!m) return 'hangup';
      if (m.identify && r.numDigits === undefined) return { digits: `${policyDigits}#` };
      if (m.identify && r.numDigits === 5) return { digits: '20500' };
      return { digits: m.key };
    },
    pay: async () => ({ result: walk.pay, cardNumber: pan }),
    dial: async () => ({ status: 'completed' as const }),
    enqueue: async () => ({ result: walk.queue }),
  };
  return provider;
};

let n = 0;
const stats = { runs: 0, prompts: 0, texts: 0, expects: new Set<string>() };
const seen: string[] = [];

const assertNowhere = (stored: string, logged: string, needles: string[], where: string) => {
  const compact = stored.replace(/[ -]/g, '');
  for (const needle of needles) {
    assert.ok(!stored.includes(needle), `the database holds ${needle} (${where})`);
    assert.ok(!logged.includes(needle), `the log holds ${needle} (${where})`);
    if (/^\d+$/.test(needle)) assert.ok(!compact.includes(needle), `the database holds ${needle} with separators (${where})`);
  }
};

test('card numbers keyed or said at every prompt of random walks, and texted, are stored and logged nowhere', async (t) => {
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(panArb, walkArb, textArb, async (pan, walk, text) => {
      const i = ++n;
      const phone = `+1202556${String(i).padStart(4, '0')}`;
      const policyNumber = `HM-P-${String(300000 + i)}`;
      const m = await seedPolicyholder(h.t.db, { firstName: 'Ana', phone, policyNumber, locale: walk.caller === 'spanish' ? 'es-US' : 'en-US' });
      await seedDue(h.t.db, m.policyId, 10_000 + i);
      if (walk.caller === 'two-policies') await seedPolicy(h.t.db, m.policyholderId, `HM-Q-${String(300000 + i)}`);
      if (walk.caller === 'card-on-file') await savePaymentMethod({ policyholderId: m.policyholderId, paymentMethodId: 'pm_card_visa' }, h.payments.deps);
      const input = walker(pan, walk, policyNumber.replace(/\D/g, ''));
      const call = await h.sim.placeCall({ from: walk.caller === 'unknown' ? `+1312556${String(i).padStart(4, '0')}` : phone, to: '+18005550100', input });
      assert.deepEqual(call.errors, []);
      const body = `${text.before}${formatted(pan, text)}${text.after}`;
      const sms = await h.sim.sendSms({ from: phone, to: '+18005550100', body });
      assert.equal(sms.error, undefined);
      stats.runs++;
      stats.prompts += input.prompts;
      stats.texts++;
      for (const x of call.transcript) stats.expects.add(/expect=([\w-]+)/.exec(x.url)?.[1] ?? 'call');
      seen.push(pan);
      const needles = [pan, body, formatted(pan, text), ...(['grouped', 'words-en', 'words-es'] as const).map((how) => spoken(pan, how))];
      assertNowhere(await tablesAsText(h.t.db), log.text(), needles, `run ${i}`);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  // What the worker wrote after the calls (charges, receipts) is searched too, in pg_dump's own words.
  await new Promise((r) => setTimeout(r, 500));
  const dump = await dumpDatabase(h.t.url);
  assertNowhere(dump, log.text(), seen, 'after the worker');
  const queued = await redisAsText(h.redisPrefix);
  assert.match(queued, /outbox/, 'the queue was searched');
  assertNowhere(queued, '', seen, 'in Redis');
  assert.ok((dump.match(/\[pan:\d{4}\]/g) ?? []).length >= stats.runs * 2, 'the attempts are recorded, masked');
  t.diagnostic(
    `${stats.runs} runs, ${stats.prompts} prompts answered with a card number (${[...stats.expects].sort().join(' ')}), ${stats.texts} texts, ${Date.now() - started} ms`,
  );
});
