import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONTACT_POLICY, parseContactPolicy } from './contact-policy-config.js';
import { ALL_US_ZONES } from './us-states.js';

test('an empty configuration is the default policy: TCPA window, Florida 08:00-20:00, 3/6 texts and 2/7 calls', () => {
  const p = parseContactPolicy({});
  assert.deepEqual(p, DEFAULT_CONTACT_POLICY);
  assert.deepEqual(p.quietHours, { defaultWindow: { start: 480, end: 1260 }, states: { FL: { window: { start: 480, end: 1200 } } } });
  assert.deepEqual(p.caps, { sms: { daily: 3, weekly: 6 }, voice: { daily: 2, weekly: 7 } });
  assert.deepEqual(p.unknownRecipientZones, ALL_US_ZONES);
});

test('times become minutes of the day; state entries are merged over the default states', () => {
  const p = parseContactPolicy({
    quietHours: { default: { start: '09:00', end: '20:30' }, states: { AL: { noSundayCalls: true }, TX: { start: '09:00', end: '24:00' } } },
    caps: { voice: { daily: 1, weekly: 3 } },
    unknownRecipientZones: ['America/New_York', 'Pacific/Honolulu'],
  });
  assert.deepEqual(p.quietHours, {
    defaultWindow: { start: 540, end: 1230 },
    states: { FL: { window: { start: 480, end: 1200 } }, AL: { noSundayCalls: true }, TX: { window: { start: 540, end: 1440 } } },
  });
  assert.deepEqual(p.caps, { sms: { daily: 3, weekly: 6 }, voice: { daily: 1, weekly: 3 } });
  assert.deepEqual(p.unknownRecipientZones, ['America/New_York', 'Pacific/Honolulu']);
  // A state's own entry replaces its default.
  assert.deepEqual(parseContactPolicy({ quietHours: { states: { FL: { start: '08:00', end: '19:00' } } } }).quietHours.states.FL, {
    window: { start: 480, end: 1140 },
  });
});

test('a bad configuration is refused with the field path, the value and what is wrong', () => {
  const refused = (json: unknown, message: string) => assert.throws(() => parseContactPolicy(json), { message: `contact policy: ${message}` });
  refused({ quietHours: { states: { FL: { start: '08:00', end: '25:00' } } } }, 'quietHours.states.FL.end: "25:00" is not a time');
  refused({ quietHours: { default: { start: '8:00', end: '21:00' } } }, 'quietHours.default.start: "8:00" is not a time');
  refused({ quietHours: { default: { start: '21:00', end: '08:00' } } }, 'quietHours.default.end: "08:00" is not after the start "21:00"');
  refused({ quietHours: { states: { TX: { start: '09:00' } } } }, 'quietHours.states.TX.end: is missing (a window needs start and end)');
  refused({ quietHours: { states: { Fl: { noSundayCalls: true } } } }, 'quietHours.states.Fl: "Fl" is not a two-letter US state code');
  refused({ quietHours: { states: { AL: { noSundayCalls: 'yes' } } } }, 'quietHours.states.AL.noSundayCalls: "yes" is not true or false');
  refused({ caps: { sms: { daily: 0, weekly: 2.5 } } }, 'caps.sms.daily: 0 is less than 1; caps.sms.weekly: 2.5 is not a whole number');
  refused({ caps: { sms: { daily: '3', weekly: 6 } } }, 'caps.sms.daily: "3" is not a number');
  refused({ unknownRecipientZones: ['America/New_York', 'Mars/Base'] }, 'unknownRecipientZones.1: "Mars/Base" is not an IANA time zone');
  refused({ unknownRecipientZones: [] }, 'unknownRecipientZones: [] lists no zone');
  refused({ quietHour: {} }, '(top level): unknown field "quietHour"');
  refused(null, '(top level): null is not an object');
});
