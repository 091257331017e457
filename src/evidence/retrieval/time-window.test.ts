import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBound } from './time-window.js';

test('a date is a whole day in the zone: from its first millisecond, to its last (an end date is inclusive)', () => {
  assert.equal(parseBound('2026-11-01', 'from', 'UTC')?.toISOString(), '2026-11-01T00:00:00.000Z');
  assert.equal(parseBound('2026-12-31', 'to', 'UTC')?.toISOString(), '2026-12-31T23:59:59.999Z');
  assert.equal(parseBound('2026-12-31', 'to', 'America/New_York')?.toISOString(), '2027-01-01T04:59:59.999Z');
  assert.equal(parseBound('2026-03-08', 'to', 'America/New_York')?.toISOString(), '2026-03-09T03:59:59.999Z', 'a DST day');
});

test('date-times keep their offset, or take the zone without one; anything else is refused', () => {
  assert.equal(parseBound('2026-11-01T09:30:00Z', 'from', 'America/New_York')?.toISOString(), '2026-11-01T09:30:00.000Z');
  assert.equal(parseBound('2026-11-01T09:30:00.123+02:00', 'to', 'UTC')?.toISOString(), '2026-11-01T07:30:00.123Z');
  assert.equal(parseBound('2026-11-01T09:30', 'from', 'America/Chicago')?.toISOString(), '2026-11-01T15:30:00.000Z');
  for (const bad of ['', 'yesterday', '2026-13-01', '2026-02-30', '2026-11', '11/01/2026', '2026-11-01T25:00Z', '2026-11-01\u0000']) {
    assert.equal(parseBound(bad, 'from', 'UTC'), null, JSON.stringify(bad));
  }
});
