import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkCaps, type FrequencyCaps } from './frequency-caps.js';

const caps: FrequencyCaps = { sms: { daily: 3, weekly: 6 }, voice: { daily: 2, weekly: 7 } };
const now = new Date('2026-11-23T15:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const show = (r: ReturnType<typeof checkCaps>) => (r.ok ? 'ok' : `${r.cap} until ${r.until.toISOString()}`);

test('the 3rd text of the day is allowed, the 4th waits until the 1st leaves the 24 h window', () => {
  assert.equal(show(checkCaps('sms', 'informational', [hoursAgo(10), hoursAgo(5)], now, caps)), 'ok');
  const three = [hoursAgo(5), hoursAgo(10), hoursAgo(20)]; // unordered on purpose
  // The 1st (20 h ago, 2026-11-22T19:00Z) leaves the window at 2026-11-23T19:00Z.
  assert.equal(show(checkCaps('sms', 'informational', three, now, caps)), 'daily-cap until 2026-11-23T19:00:00.000Z');
});

test('a send exactly 24 h old has left the window; one a minute younger still counts', () => {
  assert.equal(show(checkCaps('sms', 'marketing', [hoursAgo(24), hoursAgo(5), hoursAgo(1)], now, caps)), 'ok');
  const r = checkCaps('sms', 'marketing', [hoursAgo(24 - 1 / 60), hoursAgo(5), hoursAgo(1)], now, caps);
  assert.equal(show(r), 'daily-cap until 2026-11-23T15:01:00.000Z');
});

test('the weekly cap: 6 texts in 7 days, freed when the oldest leaves the 7-day window', () => {
  const week = [30, 50, 70, 90, 110, 160].map(hoursAgo);
  assert.equal(show(checkCaps('sms', 'informational', week.slice(1), now, caps)), 'ok');
  assert.equal(show(checkCaps('sms', 'informational', week, now, caps)), 'weekly-cap until 2026-11-23T23:00:00.000Z');
});

test('with both caps reached, the later time wins and names its cap', () => {
  const sends = [1, 2, 3, 100, 120, 167].map(hoursAgo); // daily frees in 21 h, weekly in 1 h
  assert.equal(show(checkCaps('sms', 'informational', sends, now, caps)), 'daily-cap until 2026-11-24T12:00:00.000Z');
  const old = [1, 2, 3, 165, 166, 167.5].map(hoursAgo); // weekly: the oldest (167.5 h) frees in 30 min; daily in 21 h
  assert.equal(show(checkCaps('sms', 'informational', old, now, caps)), 'daily-cap until 2026-11-24T12:00:00.000Z');
  const seven = [1, 2, 20, 100, 120, 140, 150].map(hoursAgo); // 7 in the week: two must leave, the 140 h one in 28 h
  assert.equal(show(checkCaps('sms', 'informational', seven, now, caps)), 'weekly-cap until 2026-11-24T19:00:00.000Z');
});

test('calls have their own caps: 2 a day, 7 a week', () => {
  assert.equal(show(checkCaps('voice', 'informational', [hoursAgo(3)], now, caps)), 'ok');
  assert.equal(show(checkCaps('voice', 'informational', [hoursAgo(3), hoursAgo(4)], now, caps)), 'daily-cap until 2026-11-24T11:00:00.000Z');
});

test('transactional contacts are exempt from caps', () => {
  const many = Array.from({ length: 20 }, (_, i) => hoursAgo(i + 1));
  assert.equal(show(checkCaps('sms', 'transactional', many, now, caps)), 'ok');
  assert.equal(show(checkCaps('sms', 'informational', many, now, caps)).startsWith('weekly-cap'), true);
});
