import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBusinessHours } from '../shared/business-hours.js';
import { pickSpecialists, whenNextOpen, type PickableSpecialist } from './pick-specialist.js';

const defaultHours = parseBusinessHours('America/New_York Mon-Fri 08:00-20:00');
const ALL_DAY = { mon: [['00:00', '24:00']], tue: [['00:00', '24:00']], wed: [['00:00', '24:00']], thu: [['00:00', '24:00']], fri: [['00:00', '24:00']], sat: [['00:00', '24:00']], sun: [['00:00', '24:00']] } as PickableSpecialist['workingHours'];
/** Wednesday 2026-12-02 15:00Z: 10:00 in New York, 09:00 in Chicago, 07:00 in Los Angeles. */
const now = new Date('2026-12-02T15:00:00Z');

const spec = (id: string, o: Partial<PickableSpecialist> = {}): PickableSpecialist => ({
  id, languages: ['en-US'], timeZone: 'America/New_York', workingHours: ALL_DAY, availability: 'available', lastOfferedAt: null, active: true, ...o,
});
const ids = (list: PickableSpecialist[]) => list.map((s) => s.id);

test('a Spanish caller rings Spanish speakers first, then the others; an English caller the reverse', () => {
  const team = [spec('en1'), spec('es1', { languages: ['es-US'] }), spec('both', { languages: ['en-US', 'es-US'] })];
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'es-US', now, defaultHours })), ['both', 'es1', 'en1']);
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'es', now, defaultHours })), ['both', 'es1', 'en1']);
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'en-US', now, defaultHours })), ['both', 'en1', 'es1']);
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: null, now, defaultHours })), ['both', 'en1', 'es1']);
});

test('within a language, the one offered longest ago first (never offered before anyone), ties by id', () => {
  const team = [
    spec('c', { lastOfferedAt: new Date('2026-12-02T14:00:00Z') }),
    spec('b', { lastOfferedAt: new Date('2026-12-02T13:00:00Z') }),
    spec('z'), spec('a'),
    spec('d', { lastOfferedAt: new Date('2026-12-02T13:00:00Z') }),
  ];
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'en-US', now, defaultHours })), ['a', 'z', 'b', 'd', 'c']);
  // Language first, rotation second: a Spanish speaker offered a minute ago still comes before an English speaker never offered.
  const mixed = [spec('en'), spec('es', { languages: ['es-US'], lastOfferedAt: new Date('2026-12-02T14:59:00Z') })];
  assert.deepEqual(ids(pickSpecialists(mixed, { callerLocale: 'es-US', now, defaultHours })), ['es', 'en']);
});

test('only active, available specialists not yet tried for this transfer', () => {
  const team = [spec('ok'), spec('busy', { availability: 'busy' }), spec('away', { availability: 'away' }), spec('gone', { active: false }), spec('tried')];
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'en-US', now, defaultHours, tried: ['tried'] })), ['ok']);
  assert.deepEqual(pickSpecialists(team, { callerLocale: 'en-US', now, defaultHours, tried: ['ok', 'tried'] }), []);
});

test('working hours are read in each specialist\'s own zone; no hours of their own means the business hours', () => {
  const nineToFive = { wed: [['09:00', '17:00']] } as PickableSpecialist['workingHours'];
  const team = [
    spec('ny', { workingHours: nineToFive }),
    spec('chi', { workingHours: nineToFive, timeZone: 'America/Chicago' }),
    spec('la', { workingHours: nineToFive, timeZone: 'America/Los_Angeles' }),
    spec('default', { workingHours: null, timeZone: 'America/Los_Angeles' }),
  ];
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'en-US', now, defaultHours })), ['chi', 'default', 'ny']);
  // 01:00Z Thursday is 20:00 Wednesday in New York (the business hours closed) and 17:00 in Los Angeles (closed: the end is exclusive);
  // a minute earlier both were open.
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'en-US', now: new Date('2026-12-03T01:00:00Z'), defaultHours })), []);
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'en-US', now: new Date('2026-12-03T00:59:00Z'), defaultHours })), ['default', 'la']);
});

test('hours across a DST change: the same UTC instant is in hours after the change and out of them before', () => {
  const team = [spec('ny', { workingHours: { sun: [['09:00', '17:00']] } })];
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'en-US', now: new Date('2026-03-08T13:30:00Z'), defaultHours })), ['ny']);
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'en-US', now: new Date('2026-03-01T13:30:00Z'), defaultHours })), []);
  // Fall back (2026-11-01): 13:30Z is 08:30 EST, out of hours; a week earlier it was 09:30 EDT.
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'en-US', now: new Date('2026-11-01T13:30:00Z'), defaultHours })), []);
  assert.deepEqual(ids(pickSpecialists(team, { callerLocale: 'en-US', now: new Date('2026-10-25T13:30:00Z'), defaultHours })), ['ny']);
});

test('when next open: serving now when someone can take a call, else the earliest start of an active specialist\'s hours', () => {
  assert.deepEqual(whenNextOpen([spec('a')], { now, defaultHours }), { servingNow: true });
  const team = [
    spec('busy-now', { availability: 'busy', workingHours: { wed: [['09:00', '17:00']], thu: [['09:00', '17:00']] } }),
    spec('chi', { availability: 'away', timeZone: 'America/Chicago', workingHours: { thu: [['08:00', '12:00']] } }),
    spec('inactive', { active: false, workingHours: { wed: [['11:00', '12:00']] } }),
  ];
  // Thursday 08:00 in Chicago (14:00Z) comes before Thursday 09:00 in New York (14:00Z too): same instant; earliest wins.
  assert.deepEqual(whenNextOpen(team, { now, defaultHours }), { servingNow: false, nextOpening: new Date('2026-12-03T14:00:00Z') });
  // Default hours: the business hours' next opening (Thursday 08:00 New York).
  assert.deepEqual(whenNextOpen([spec('d', { workingHours: null, availability: 'away' })], { now, defaultHours }), { servingNow: false, nextOpening: new Date('2026-12-03T13:00:00Z') });
  assert.deepEqual(whenNextOpen([], { now, defaultHours }), { servingNow: false, nextOpening: null });
});
