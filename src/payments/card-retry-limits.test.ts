import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canRetryCard, type CardAttempt } from './card-retry-limits.js';

const now = new Date('2026-11-20T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const declined = (h: number, declineClass: CardAttempt['declineClass'] = 'retry-later'): CardAttempt => ({
  at: hoursAgo(h), status: 'failed', declineClass,
});

test('a fresh card may be charged', () => {
  assert.deepEqual(canRetryCard('visa', [], now), { allowed: true });
});

test('never after a never-retry decline (Visa category 1) or a new-details decline', () => {
  assert.equal(canRetryCard('visa', [declined(500, 'never-retry')], now).allowed, false);
  assert.equal(canRetryCard('mastercard', [declined(1, 'new-details')], now).allowed, false);
});

test('a success resets the count: declines before it do not block', () => {
  const r = canRetryCard('visa', [declined(72, 'never-retry'), { at: hoursAgo(48), status: 'succeeded', declineClass: null }], now);
  assert.deepEqual(r, { allowed: true });
});

test('Mastercard: at most 10 declines in 24 hours, then wait until the oldest leaves the window', () => {
  const nine = Array.from({ length: 9 }, (_, i) => declined(i + 1));
  assert.equal(canRetryCard('mastercard', nine, now).allowed, true);
  const ten = [...nine, declined(20)];
  const r = canRetryCard('mastercard', ten, now);
  assert.equal(r.allowed, false);
  assert.ok(!r.allowed && r.retryAfter?.getTime() === hoursAgo(20).getTime() + 24 * 3_600_000);
});

test('Mastercard: at most 35 declines in 30 days', () => {
  const spread = Array.from({ length: 35 }, (_, i) => declined(25 + i * 18));
  const r = canRetryCard('mastercard', spread, now);
  assert.equal(r.allowed, false);
  assert.match(!r.allowed ? r.reason : '', /35 declines in 30 days/);
  assert.equal(canRetryCard('mastercard', spread.slice(1), now).allowed, true);
});

test('Visa: 15 declines in 30 days; unknown networks get the stricter of both', () => {
  const fifteen = Array.from({ length: 15 }, (_, i) => declined(30 + i * 40));
  assert.equal(canRetryCard('visa', fifteen, now).allowed, false);
  assert.equal(canRetryCard('visa', fifteen.slice(1), now).allowed, true);
  const tenToday = Array.from({ length: 10 }, (_, i) => declined(i + 1));
  assert.equal(canRetryCard('visa', tenToday, now).allowed, true, 'Visa has no daily cap');
  assert.equal(canRetryCard('discover', tenToday, now).allowed, false);
  assert.equal(canRetryCard(null, fifteen, now).allowed, false);
});
