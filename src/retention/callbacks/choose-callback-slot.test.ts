import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBusinessHours } from '../../shared/business-hours.js';
import type { PickableSpecialist } from '../pick-specialist.js';
import { chooseCallbackSlot } from './choose-callback-slot.js';

const defaultHours = parseBusinessHours('America/New_York Mon-Fri 09:00-17:00');
const DAY = [['00:00', '24:00']] as [string, string][];
const ALL_DAY = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: DAY, sun: DAY };
const spec = (id: string, o: Partial<PickableSpecialist> = {}): PickableSpecialist => ({
  id, languages: ['en-US'], timeZone: 'America/New_York', workingHours: ALL_DAY, availability: 'available', lastOfferedAt: null, active: true, ...o,
});
const iso = (d: Date | null) => d?.toISOString() ?? null;
/** Wednesday 2026-12-02 15:07Z = 10:07 in New York. */
const now = new Date('2026-12-02T15:07:00Z');

test('the first quarter hour at least 15 minutes ahead, when someone is on shift', () => {
  assert.equal(iso(chooseCallbackSlot([spec('a')], { now, callerLocale: 'en-US', booked: [], defaultHours })), '2026-12-02T15:30:00.000Z');
  assert.equal(iso(chooseCallbackSlot([spec('a')], { now: new Date('2026-12-02T15:00:00Z'), callerLocale: 'en-US', booked: [], defaultHours })), '2026-12-02T15:15:00.000Z');
});

test('one callback per specialist per slot: a full slot passes to the next', () => {
  const booked = [new Date('2026-12-02T15:30:00Z')];
  assert.equal(iso(chooseCallbackSlot([spec('a')], { now, callerLocale: 'en-US', booked, defaultHours })), '2026-12-02T15:45:00.000Z');
  assert.equal(iso(chooseCallbackSlot([spec('a'), spec('b')], { now, callerLocale: 'en-US', booked, defaultHours })), '2026-12-02T15:30:00.000Z');
});

test('outside hours: the slot opens with the first shift (the default business hours for a specialist with none)', () => {
  // Friday 2026-12-04 22:00Z = 17:00 New York, closed; next shift Monday 09:00 = 14:00Z.
  const friday = new Date('2026-12-04T22:00:00Z');
  assert.equal(iso(chooseCallbackSlot([spec('a', { workingHours: null })], { now: friday, callerLocale: 'en-US', booked: [], defaultHours })), '2026-12-07T14:00:00.000Z');
  // A shift ending at 16:50 leaves no whole slot after 16:30.
  const short = { wed: [['09:00', '16:50']] as [string, string][], thu: [['09:00', '10:00']] as [string, string][] };
  const late = new Date('2026-12-02T21:20:00Z'); // 16:20 New York
  assert.equal(iso(chooseCallbackSlot([spec('a', { workingHours: short })], { now: late, callerLocale: 'en-US', booked: [], defaultHours })), '2026-12-03T14:00:00.000Z');
});

test('a Spanish-speaking customer is called back in a Spanish speaker\'s shift when one exists', () => {
  const team = [spec('en'), spec('es', { languages: ['es-US'], workingHours: { wed: [['14:00', '18:00']] } })];
  assert.equal(iso(chooseCallbackSlot(team, { now, callerLocale: 'es-US', booked: [], defaultHours })), '2026-12-02T19:00:00.000Z');
  assert.equal(iso(chooseCallbackSlot(team, { now, callerLocale: 'en-US', booked: [], defaultHours })), '2026-12-02T15:30:00.000Z');
  // With no Spanish speaker at all, anyone calls back.
  assert.equal(iso(chooseCallbackSlot([spec('en')], { now, callerLocale: 'es-US', booked: [], defaultHours })), '2026-12-02T15:30:00.000Z');
});

test('nobody active or on shift within the horizon: no slot', () => {
  assert.equal(chooseCallbackSlot([], { now, callerLocale: 'en-US', booked: [], defaultHours }), null);
  assert.equal(chooseCallbackSlot([spec('a', { active: false })], { now, callerLocale: 'en-US', booked: [], defaultHours }), null);
});
