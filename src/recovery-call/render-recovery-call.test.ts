import assert from 'node:assert/strict';
import { test } from 'node:test';
import { amdAction } from './handle-amd-result.js';
import { loadRecoveryCallPrompts } from './recovery-call-prompts.js';
import { renderGoodbye, renderHold, renderMenu, speakPhoneNumber } from './render-recovery-call.js';

const voice = { language: 'en-US', voice: 'Polly.Joanna' };

test('the menu is a one-key Gather posting to its action, then a redirect for silence (never dead air)', () => {
  const xml = renderMenu(voice, ['Press 1.'], { action: 'https://gw/key?try=1', noInput: 'https://gw/key?try=1&noinput=1' });
  assert.match(xml, /<Gather input="dtmf" numDigits="1" timeout="6" action="https:\/\/gw\/key\?try=1" method="POST"><Say language="en-US" voice="Polly.Joanna">Press 1\.<\/Say><\/Gather>/);
  assert.match(xml, /<Redirect method="POST">https:\/\/gw\/key\?try=1&amp;noinput=1<\/Redirect><\/Response>$/);
});

test('a goodbye hangs up; a hold pauses and asks again', () => {
  assert.match(renderGoodbye(voice, ['Bye.']), /<Say[^>]*>Bye\.<\/Say><Hangup\/><\/Response>$/);
  assert.match(renderHold(voice, ['Wait.'], 'https://gw/payment?poll=2'), /<Say[^>]*>Wait\.<\/Say><Pause length="2"\/><Redirect method="POST">https:\/\/gw\/payment\?poll=2<\/Redirect>/);
});

test('the callback number is read in groups, digit by digit', () => {
  assert.equal(speakPhoneNumber('+18005550100'), '8 0 0, 5 5 5, 0 1 0 0');
  assert.equal(speakPhoneNumber('+442071234567'), '4 4 2 0 7 1 2 3 4 5 6 7');
});

test('AMD verdicts: a machine gets the voicemail, a fax is hung up, a person or an unsure verdict changes nothing', () => {
  assert.deepEqual(
    ['machine_end_beep', 'machine_end_silence', 'machine_end_other', 'machine_start', 'fax', 'human', 'unknown'].map(amdAction),
    ['voicemail', 'voicemail', 'voicemail', 'voicemail', 'hangup', 'none', 'none'],
  );
});

test('the greeting and the voicemail name no amount, date or policy in either language', () => {
  const prompts = loadRecoveryCallPrompts();
  for (const locale of prompts.locales) {
    for (const key of ['greeting', 'voicemail']) {
      const text = prompts.text(locale, key, { insurer: 'Harbor Mutual', number: '8 0 0, 5 5 5, 0 1 0 0' });
      assert.doesNotMatch(text, /\{|\$|amount|importe|monto/i, `${locale} ${key}: ${text}`);
    }
  }
});
