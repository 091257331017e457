import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOpen } from '../shared/business-hours.js';
import { formatHoursText, isTimeZone, nextOpening, parseHoursText, toBusinessHours, workingHoursSchema } from './working-hours.js';

test('hours text: day ranges, day lists and several windows, in the stored form', () => {
  assert.deepEqual(parseHoursText('mon-wed 09:00-17:00; sat,Sun 10:00-12:00, 13:00-24:00'), { hours: {
    mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']],
    sat: [['10:00', '12:00'], ['13:00', '24:00']], sun: [['10:00', '12:00'], ['13:00', '24:00']],
  } });
});

test('hours text: each unclear part is refused with the reason', () => {
  const reason = (text: string) => ('error' in parseHoursText(text) ? (parseHoursText(text) as { error: string }).error : 'accepted');
  assert.match(reason(''), /no hours given/);
  assert.match(reason('fri-mon 09:00-17:00'), /days run backwards/);
  assert.match(reason('xyz 09:00-17:00'), /days are mon, tue/);
  assert.match(reason('mon 17:00-09:00'), /end after it starts/);
  assert.match(reason('mon 9-17'), /"HH:MM", 00:00 to 24:00/);
  assert.match(reason('mon 09:00-10:00-11:00'), /one window/);
  assert.match(reason('monday'), /expected days then windows/);
});

test('stored hours: weekdays only, windows as ["HH:MM", "HH:MM"], at least one window', () => {
  assert.ok(workingHoursSchema.safeParse({ mon: [['00:00', '24:00']] }).success);
  const issues = (v: unknown) => workingHoursSchema.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  assert.match(issues({ mon: [['09:00', '25:00']] }).join(), /mon\.0\.1: a time must be "HH:MM"/);
  assert.match(issues({ mon: [['24:00', '24:00']] }).join(), /mon\.0: a window must end after it starts/);
  assert.match(issues({ monday: [['09:00', '17:00']] }).join(), /unknown weekday "monday" \(weekdays are mon, tue/);
  assert.match(issues({ mon: [] }).join(), /open at least one window/);
  assert.match(issues('9 to 5').join(), /workingHours must be an object of weekdays/);
});

test('time zones: IANA names only', () => {
  assert.ok(isTimeZone('America/Chicago'));
  assert.ok(!isTimeZone('Central'));
  assert.ok(!isTimeZone('x'.repeat(100)));
});

test('hours are checked in their own zone, on both sides of a DST change', () => {
  const ny = toBusinessHours({ sun: [['09:00', '17:00']] }, 'America/New_York');
  // 2026-03-08 is the first day of daylight time in New York: 13:30Z is 09:30 EDT; a week earlier it was 08:30 EST.
  assert.ok(isOpen(ny, new Date('2026-03-08T13:30:00Z')));
  assert.ok(!isOpen(ny, new Date('2026-03-01T13:30:00Z')));
});

test('next opening: the next start of hours in the zone, DST-safe, skipping starts that continue open hours', () => {
  const ny = toBusinessHours({ mon: [['09:00', '17:00']], sun: [['02:30', '04:00']] }, 'America/New_York');
  // Sunday 2026-03-08 noon UTC: Monday 09:00 EDT is 13:00Z.
  assert.equal(nextOpening(ny, new Date('2026-03-08T12:00:00Z'))?.toISOString(), '2026-03-09T13:00:00.000Z');
  // 02:30 does not exist on the spring-forward Sunday: the window opens at 03:30 EDT.
  assert.equal(nextOpening(ny, new Date('2026-03-08T05:00:00Z'))?.toISOString(), '2026-03-08T07:30:00.000Z');
  const joined = toBusinessHours({ mon: [['20:00', '24:00']], tue: [['00:00', '06:00'], ['06:00', '08:00'], ['18:00', '19:00']] }, 'UTC');
  assert.equal(nextOpening(joined, new Date('2026-03-09T21:00:00Z'))?.toISOString(), '2026-03-10T18:00:00.000Z');
  assert.equal(nextOpening(toBusinessHours({}, 'UTC'), new Date()), null);
});

test('hours text written back: ranges of days with the same windows, read again unchanged', () => {
  const text = 'mon-wed 09:00-17:00; fri 09:00-12:00,13:00-17:00; sat-sun 00:00-24:00';
  const parsed = parseHoursText(text);
  assert.ok('hours' in parsed);
  assert.equal(formatHoursText(parsed.hours), text);
  assert.equal(formatHoursText({}), '');
});
