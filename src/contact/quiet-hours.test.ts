import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isContactAllowed, nextAllowedAt, type NextAllowed, type QuietHoursRules } from './quiet-hours.js';

const rules: QuietHoursRules = {
  defaultWindow: { start: 8 * 60, end: 21 * 60 },
  states: { FL: { window: { start: 8 * 60, end: 20 * 60 } }, AL: { noSundayCalls: true } },
};
const NY = ['America/New_York'];
const CHI = ['America/Chicago'];
const SPLIT = ['America/Chicago', 'America/New_York'];
const iso = (r: NextAllowed) => (r.found ? r.at.toISOString() : `none: ${r.reason}`);
const at = (s: string) => new Date(s);

test('22:00 recipient-local is deferred to 08:00 the next local day', () => {
  const now = at('2026-11-24T03:00:00Z'); // Mon 22:00 EST
  assert.equal(isContactAllowed(now, NY, ['NY'], rules, 'sms'), false);
  assert.equal(iso(nextAllowedAt(now, NY, ['NY'], rules, 'sms')), '2026-11-24T13:00:00.000Z');
});

test('an allowed instant is its own next allowed time; 21:00 is already outside (end exclusive)', () => {
  const now = at('2026-11-24T01:59:00Z'); // Mon 20:59 EST
  assert.equal(iso(nextAllowedAt(now, NY, ['NY'], rules, 'voice')), '2026-11-24T01:59:00.000Z');
  assert.equal(isContactAllowed(at('2026-11-24T02:00:00Z'), NY, ['NY'], rules, 'voice'), false);
  assert.equal(isContactAllowed(at('2026-11-23T13:00:00Z'), NY, ['NY'], rules, 'voice'), true); // 08:00 sharp
});

test('spring forward: 08:00 on the DST day is 08:00 daylight time, in New York and Chicago', () => {
  // Sat 7 Mar 2026 22:00 local; clocks go forward at 02:00 on Sun 8 Mar.
  assert.equal(iso(nextAllowedAt(at('2026-03-08T03:00:00Z'), NY, [], rules, 'sms')), '2026-03-08T12:00:00.000Z');
  assert.equal(iso(nextAllowedAt(at('2026-03-08T04:00:00Z'), CHI, [], rules, 'sms')), '2026-03-08T13:00:00.000Z');
  assert.equal(isContactAllowed(at('2026-03-08T12:30:00Z'), NY, [], rules, 'sms'), true); // 08:30 EDT
  assert.equal(isContactAllowed(at('2026-03-08T12:30:00Z'), CHI, [], rules, 'sms'), false); // 07:30 CDT
});

test('fall back: 08:00 on the DST day is 08:00 standard time, in New York and Chicago', () => {
  // Sat 31 Oct 2026 22:00 local; clocks go back at 02:00 on Sun 1 Nov.
  assert.equal(iso(nextAllowedAt(at('2026-11-01T02:00:00Z'), NY, [], rules, 'sms')), '2026-11-01T13:00:00.000Z');
  assert.equal(iso(nextAllowedAt(at('2026-11-01T03:00:00Z'), CHI, [], rules, 'sms')), '2026-11-01T14:00:00.000Z');
  assert.equal(isContactAllowed(at('2026-11-02T01:59:00Z'), NY, [], rules, 'sms'), true); // Sun 20:59 EST
  assert.equal(isContactAllowed(at('2026-11-02T02:00:00Z'), NY, [], rules, 'sms'), false); // Sun 21:00 EST
  assert.equal(isContactAllowed(at('2026-11-02T02:30:00Z'), CHI, [], rules, 'sms'), true); // Sun 20:30 CST
});

test('an area code spanning Central and Eastern is open only when both zones are', () => {
  assert.equal(isContactAllowed(at('2026-11-23T13:30:00Z'), SPLIT, [], rules, 'sms'), false); // 08:30 ET = 07:30 CT
  assert.equal(iso(nextAllowedAt(at('2026-11-23T13:30:00Z'), SPLIT, [], rules, 'sms')), '2026-11-23T14:00:00.000Z');
  assert.equal(isContactAllowed(at('2026-11-23T14:00:00Z'), SPLIT, [], rules, 'sms'), true); // 09:00 ET = 08:00 CT
  assert.equal(isContactAllowed(at('2026-11-24T01:59:00Z'), SPLIT, [], rules, 'sms'), true); // 20:59 ET
  assert.equal(isContactAllowed(at('2026-11-24T02:00:00Z'), SPLIT, [], rules, 'sms'), false); // 21:00 ET = 20:00 CT
});

test('Florida closes at 20:00: 20:30 local is deferred to 08:00 the next day, while New York is open', () => {
  const now = at('2026-11-24T01:30:00Z'); // Mon 20:30 EST
  assert.equal(isContactAllowed(now, NY, ['FL'], rules, 'sms'), false);
  assert.equal(isContactAllowed(now, NY, ['NY'], rules, 'sms'), true);
  assert.equal(iso(nextAllowedAt(now, NY, ['FL'], rules, 'voice')), '2026-11-24T13:00:00.000Z');
  // The panhandle (850): Florida's 20:00 holds in Eastern, the later opening in Central.
  assert.equal(iso(nextAllowedAt(at('2026-11-24T01:00:00Z'), SPLIT, ['FL'], rules, 'sms')), '2026-11-24T14:00:00.000Z');
});

test('a state that bars Sunday calls: texts go out on Sunday, calls wait for Monday 08:00', () => {
  const sundayNoon = at('2026-11-22T18:00:00Z'); // Sun 12:00 CST
  assert.equal(isContactAllowed(sundayNoon, CHI, ['AL'], rules, 'sms'), true);
  assert.equal(isContactAllowed(sundayNoon, CHI, ['AL'], rules, 'voice'), false);
  assert.equal(isContactAllowed(sundayNoon, CHI, ['IL'], rules, 'voice'), true);
  assert.equal(iso(nextAllowedAt(sundayNoon, CHI, ['AL'], rules, 'voice')), '2026-11-23T14:00:00.000Z');
  // Saturday 22:00 CST: Sunday is skipped whole.
  assert.equal(iso(nextAllowedAt(at('2026-11-22T04:00:00Z'), CHI, ['AL'], rules, 'voice')), '2026-11-23T14:00:00.000Z');
});

test('no zone known means every US zone: 09:00 Eastern waits for 08:00 in Hawaii', () => {
  const now = at('2026-11-23T14:00:00Z');
  assert.equal(isContactAllowed(now, [], [], rules, 'sms'), false);
  assert.equal(iso(nextAllowedAt(now, [], [], rules, 'sms')), '2026-11-23T18:00:00.000Z');
});

test('zones whose windows never overlap give no time, and say why', () => {
  const narrow: QuietHoursRules = { defaultWindow: { start: 9 * 60, end: 10 * 60 }, states: {} };
  const r = nextAllowedAt(at('2026-11-23T12:00:00Z'), ['Pacific/Guam', 'America/New_York'], [], narrow, 'sms');
  assert.deepEqual(r, { found: false, reason: 'no-common-window', searchedDays: 8 });
  const closed: QuietHoursRules = { defaultWindow: { start: 9 * 60, end: 17 * 60 }, states: { FL: { window: { start: 18 * 60, end: 20 * 60 } } } };
  assert.equal(nextAllowedAt(at('2026-11-23T12:00:00Z'), NY, ['FL'], closed, 'sms').found, false);
});
