import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadNanpPrefixData, stateOfPlaceName, type NanpPrefixData } from './nanp-prefix-data.js';
import { placeRecipient, statesOfNumber, zonesOfNumber } from './recipient-zones.js';
import { ALL_US_ZONES, US_STATE_CODES } from './us-states.js';

const data = loadNanpPrefixData();

test('split area codes get every zone they span, from the package data', () => {
  const cases: [string, string[]][] = [
    ['+18505550143', ['America/Chicago', 'America/New_York']], // Florida panhandle
    ['+18125550143', ['America/Chicago', 'America/New_York']], // Indiana
    ['+12195550143', ['America/Chicago', 'America/New_York']],
    ['+14235550143', ['America/Chicago', 'America/New_York']], // Tennessee
    ['+16065550143', ['America/Chicago', 'America/New_York']], // Kentucky
    ['+12705550143', ['America/Chicago', 'America/New_York']],
    ['+19065550143', ['America/Chicago', 'America/New_York']], // Michigan's Upper Peninsula
    ['+13085550143', ['America/Chicago', 'America/Denver']], // Nebraska
    ['+16055550143', ['America/Chicago', 'America/Denver', 'America/North_Dakota/Center']],
    ['+17015550143', ['America/Chicago', 'America/Denver', 'America/North_Dakota/Center']],
    ['+12085550143', ['America/Boise', 'America/Denver', 'America/Los_Angeles']], // Idaho
    ['+15415550143', ['America/Denver', 'America/Los_Angeles']], // Oregon
    ['+12125550143', ['America/New_York']],
    ['+18085550143', ['Pacific/Honolulu']],
  ];
  for (const [e164, zones] of cases) assert.deepEqual(zonesOfNumber(e164, data), zones, e164);
});

test('the state of an area code, for state rules; none outside the US', () => {
  assert.deepEqual(statesOfNumber('+18505550143', data), ['FL']);
  assert.deepEqual(statesOfNumber('+17135550143', data), ['TX']); // only city-level entries in the data
  assert.deepEqual(statesOfNumber('+12035550143', data), ['CT']);
  assert.deepEqual(statesOfNumber('+14165550143', data), []); // Toronto
  assert.deepEqual(statesOfNumber('+442071838750', data), []);
  assert.equal(stateOfPlaceName('Pensacola, FL'), 'FL');
  assert.equal(stateOfPlaceName('Washington State'), 'WA');
  assert.equal(stateOfPlaceName('Washington D.C.'), 'DC');
  assert.equal(stateOfPlaceName('Ontario'), null);
});

test('the number alone: its area code zones and states', () => {
  assert.deepEqual(placeRecipient({ e164: '+18505550143' }, data), {
    zones: ['America/Chicago', 'America/New_York'], states: ['FL'], basis: 'number-prefix',
  });
});

test('a known zone wins over the number and a known state; an invalid one is ignored', () => {
  assert.deepEqual(placeRecipient({ e164: '+18505550143', knownZone: 'America/Chicago' }, data), {
    zones: ['America/Chicago'], states: ['FL'], basis: 'known-zone',
  });
  assert.deepEqual(placeRecipient({ e164: '+18505550143', knownZone: 'Mars/Olympus', knownState: 'FL' }, data).basis, 'known-state');
});

test('a known state narrows the number zones; a number from another state gets the state zones', () => {
  // 907's data also names Honolulu for some exchanges; an Alaskan address drops it.
  assert.deepEqual(placeRecipient({ e164: '+19075550143', knownState: 'AK' }, data), {
    zones: ['America/Adak', 'America/Anchorage', 'America/Juneau'], states: ['AK'], basis: 'known-state',
  });
  assert.deepEqual(placeRecipient({ e164: '+15415550143', knownState: 'ID' }, data).zones, ['America/Denver', 'America/Los_Angeles']);
  assert.deepEqual(placeRecipient({ e164: '+12125550143', knownState: 'CA' }, data), {
    zones: ['America/Los_Angeles'], states: ['CA'], basis: 'known-state',
  });
});

test('unknown, malformed and non-US numbers never throw: every US zone and every state rule', () => {
  for (const e164 of ['+442071838750', 'not a number', '', '+1999555014']) {
    assert.deepEqual(placeRecipient({ e164 }, data), { zones: ALL_US_ZONES, states: US_STATE_CODES, basis: 'unknown-number' }, e164);
  }
  const custom = placeRecipient({ e164: '+33142685300' }, data, ['America/New_York']);
  assert.deepEqual(custom.zones, ['America/New_York']);
});

test('a NANP number outside the US keeps its own zones and no state rules', () => {
  assert.deepEqual(placeRecipient({ e164: '+17875550143' }, data), { zones: ['America/Puerto_Rico'], states: [], basis: 'number-prefix' });
});

test('the pure functions take any table: a hand-made one for a made-up area code', () => {
  const table: NanpPrefixData = { zonesByAreaCode: new Map([['555', ['America/Denver']]]), statesByAreaCode: new Map([['555', ['CO']]]) };
  assert.deepEqual(placeRecipient({ e164: '+15555550143' }, table), { zones: ['America/Denver'], states: ['CO'], basis: 'number-prefix' });
});
