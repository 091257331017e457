import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONTACT_SETTINGS, loadContactSettings } from './load-contact-settings.js';

const dir = mkdtempSync(path.join(tmpdir(), 'contact-settings-'));
const fileWith = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

test('no file: the defaults', () => {
  assert.equal(loadContactSettings(undefined), DEFAULT_CONTACT_SETTINGS);
});

test('a file sets quiet hours, caps and senders’ rates; the rest keeps its default', () => {
  const s = loadContactSettings(fileWith('ok.json', JSON.stringify({
    quietHours: { default: { start: '09:00', end: '20:00' } },
    caps: { sms: { daily: 2, weekly: 4 } },
    senderRates: { segmentsPerSecond: { 'long-code': 2 } },
  })));
  assert.deepEqual(s.policy.quietHours.defaultWindow, { start: 540, end: 1200 });
  assert.deepEqual(s.policy.caps.sms, { daily: 2, weekly: 4 });
  assert.deepEqual(s.policy.caps.voice, DEFAULT_CONTACT_SETTINGS.policy.caps.voice);
  assert.equal(s.senderRates.segmentsPerSecond['long-code'], 2);
  assert.equal(s.senderRates.segmentsPerSecond['short-code'], 100);
});

test('a bad file stops the start with the file and every bad field named', () => {
  const file = fileWith('bad.json', JSON.stringify({ quietHours: { states: { FL: { end: '25:00', start: '08:00' } } }, senderRates: { segmentsPerSecond: { 'toll-free': 0 } } }));
  assert.throws(() => loadContactSettings(file), (e: Error) => {
    assert.match(e.message, new RegExp(`^CONTACT_POLICY_FILE ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    assert.match(e.message, /quietHours\.states\.FL\.end: "25:00" is not a time/);
    assert.match(e.message, /segmentsPerSecond\.toll-free: 0 is not above 0/);
    return true;
  });
  assert.throws(() => loadContactSettings(fileWith('notjson.json', '{ quietHours: ')), /is not JSON/);
  assert.throws(() => loadContactSettings(fileWith('array.json', '[]')), /is not a JSON object/);
  assert.throws(() => loadContactSettings(path.join(dir, 'missing.json')), /cannot be read/);
});
