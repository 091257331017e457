import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeHours, isOpen, parseBusinessHours } from './business-hours.js';

const h = parseBusinessHours('America/New_York Mon-Fri 08:00-20:00; Sat 09:00-13:00');

test('open and closed follow the insurer zone, weekdays and the exclusive closing minute', () => {
  assert.equal(isOpen(h, new Date('2026-11-23T14:00:00Z')), true); // Mon 09:00 EST
  assert.equal(isOpen(h, new Date('2026-11-24T01:00:00Z')), false); // Mon 20:00 EST: closed
  assert.equal(isOpen(h, new Date('2026-11-24T00:59:00Z')), true); // Mon 19:59 EST
  assert.equal(isOpen(h, new Date('2026-11-28T15:00:00Z')), true); // Sat 10:00
  assert.equal(isOpen(h, new Date('2026-11-28T19:00:00Z')), false); // Sat 14:00
  assert.equal(isOpen(h, new Date('2026-11-29T15:00:00Z')), false); // Sunday
});

test('hours are described in the caller language', () => {
  assert.match(describeHours(h, 'en-US'), /Monday to Friday, 8:00\sAM to 8:00\sPM; Saturday, 9:00\sAM to 1:00\sPM/);
  assert.match(describeHours(h, 'es-US'), /lunes a viernes/);
});

test('hours around the clock are said as such, never "12:00 AM to 12:00 AM"', () => {
  const always = parseBusinessHours('America/New_York Mon-Sun 00:00-24:00');
  assert.match(describeHours(always, 'en-US'), /^every day, around the clock \(/);
  assert.match(describeHours(always, 'es-US'), /^todos los días, las 24 horas \(/);
  assert.match(describeHours(parseBusinessHours('America/New_York Mon-Fri 00:00-24:00; Sat 09:00-13:00'), 'en-US'), /^Monday to Friday, around the clock; Saturday, 9:00\sAM to 1:00\sPM/);
});

test('bad configuration is refused with the reason', () => {
  assert.throws(() => parseBusinessHours('Mars/Base Mon-Fri 08:00-20:00'), /time zone/);
  assert.throws(() => parseBusinessHours('America/New_York Fri-Mon 08:00-20:00'), /backwards/);
  assert.throws(() => parseBusinessHours('America/New_York Mon-Fri 20:00-08:00'), /closing/);
  assert.throws(() => parseBusinessHours('America/New_York'), /no opening hours/);
});
