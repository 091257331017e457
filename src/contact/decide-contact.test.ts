import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideContact, type ContactRequest, type RecentSend } from './decide-contact.js';

const at = (s: string) => new Date(s);
const MONDAY_10_EST = at('2026-11-23T15:00:00Z');
const MONDAY_22_EST = at('2026-11-24T03:00:00Z');

const request = (over: Partial<ContactRequest> = {}): ContactRequest => ({
  channel: 'sms',
  kind: 'informational',
  replyToInbound: false,
  consent: { sms: 'granted', voice: 'granted' },
  zones: ['America/New_York'],
  states: ['NY'],
  now: MONDAY_10_EST,
  recentSends: [],
  rules: { defaultWindow: { start: 480, end: 1260 }, states: { FL: { window: { start: 480, end: 1200 } } } },
  caps: { sms: { daily: 3, weekly: 6 }, voice: { daily: 2, weekly: 7 } },
  ...over,
});
const texts = (kind: RecentSend['kind'], ...isos: string[]): RecentSend[] => isos.map((s) => ({ channel: 'sms', kind, at: at(s) }));
const show = (r: ReturnType<typeof decideContact>) =>
  r.action === 'defer' ? `defer ${r.reason} until ${r.until.toISOString()}` : r.action === 'suppress' ? `suppress ${r.reason}` : r.action === 'switch-channel' ? `switch to ${r.to}` : 'send';

test('consented, inside the window, under the caps: send now', () => {
  assert.equal(show(decideContact(request())), 'send');
});

test('22:00 local: deferred to 08:00 next morning for quiet hours', () => {
  assert.equal(show(decideContact(request({ now: MONDAY_22_EST }))), 'defer quiet-hours until 2026-11-24T13:00:00.000Z');
});

test('a split area code at 08:30 Eastern waits for 08:00 Central', () => {
  const r = decideContact(request({ zones: ['America/Chicago', 'America/New_York'], states: ['FL'], now: at('2026-11-23T13:30:00Z') }));
  assert.equal(show(r), 'defer quiet-hours until 2026-11-23T14:00:00.000Z');
});

test('without granted consent nothing proactive goes out', () => {
  assert.equal(show(decideContact(request({ consent: { sms: 'opted-out', voice: 'none' } }))), 'suppress opted-out');
  assert.equal(show(decideContact(request({ consent: { sms: 'none', voice: 'none' } }))), 'suppress no-consent');
  assert.equal(show(decideContact(request({ kind: 'transactional', consent: { sms: 'none', voice: 'none' } }))), 'suppress no-consent');
});

test('HELP and STOP confirmations reach an opted-out number at any hour; other replies do not', () => {
  const optedOut = { sms: 'opted-out', voice: 'none' } as const;
  const help = { kind: 'transactional', replyToInbound: true, alwaysAllowed: true, consent: optedOut, now: MONDAY_22_EST } as const;
  assert.equal(show(decideContact(request(help))), 'send');
  assert.equal(show(decideContact(request({ ...help, alwaysAllowed: false }))), 'suppress opted-out');
  // The flag counts only for a transactional reply.
  assert.equal(show(decideContact(request({ ...help, kind: 'informational' }))), 'suppress opted-out');
  assert.equal(show(decideContact(request({ ...help, replyToInbound: false }))), 'suppress opted-out');
});

test('an immediate reply needs only "not opted out" and ignores quiet hours', () => {
  const reply = request({ kind: 'transactional', replyToInbound: true, consent: { sms: 'none', voice: 'none' }, now: MONDAY_22_EST });
  assert.equal(show(decideContact(reply)), 'send');
});

test('the 3rd text of the day goes, the 4th waits for the 1st to leave the window; receipts neither count nor wait', () => {
  const two = texts('informational', '2026-11-22T16:00:00Z', '2026-11-23T09:00:00Z');
  assert.equal(show(decideContact(request({ recentSends: two }))), 'send');
  const three = [...two, ...texts('marketing', '2026-11-23T12:00:00Z')];
  assert.equal(show(decideContact(request({ recentSends: three }))), 'defer daily-cap until 2026-11-23T16:00:00.000Z');
  assert.equal(show(decideContact(request({ recentSends: three, kind: 'transactional' }))), 'send');
  const receipts = [...two, ...texts('transactional', '2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z')];
  assert.equal(show(decideContact(request({ recentSends: receipts }))), 'send');
  const calls: RecentSend[] = three.map((s) => ({ ...s, channel: 'voice' }));
  assert.equal(show(decideContact(request({ recentSends: calls }))), 'send');
});

test('cap and quiet hours together: the later time, named by what set it', () => {
  // The cap frees at 23:00 EST: quiet hours push it to 08:00.
  const freesAtNight = texts('informational', '2026-11-23T04:00:00Z', '2026-11-23T08:00:00Z', '2026-11-23T12:00:00Z');
  assert.equal(show(decideContact(request({ recentSends: freesAtNight }))), 'defer quiet-hours until 2026-11-24T13:00:00.000Z');
  // At 22:00 the window opens at 08:00 but the cap only frees at 09:00.
  const freesAt9 = texts('informational', '2026-11-23T14:00:00Z', '2026-11-23T15:00:00Z', '2026-11-23T16:00:00Z');
  const r = decideContact(request({ now: MONDAY_22_EST, recentSends: freesAt9 }));
  assert.equal(show(r), 'defer daily-cap until 2026-11-24T14:00:00.000Z');
});

test('a capped reply is no longer immediate: quiet hours bind it again', () => {
  const three = texts('informational', '2026-11-23T14:00:00Z', '2026-11-23T15:00:00Z', '2026-11-24T02:00:00Z');
  const r = decideContact(request({ replyToInbound: true, now: MONDAY_22_EST, recentSends: three }));
  assert.equal(show(r), 'defer daily-cap until 2026-11-24T14:00:00.000Z');
  const late = texts('informational', '2026-11-23T04:00:00Z', '2026-11-23T15:00:00Z', '2026-11-24T02:00:00Z');
  assert.equal(show(decideContact(request({ replyToInbound: true, now: MONDAY_22_EST, recentSends: late }))), 'defer quiet-hours until 2026-11-24T13:00:00.000Z');
});

test('the preferred channel: switch when it is consented; marketing never goes elsewhere', () => {
  assert.equal(show(decideContact(request({ preferredChannel: 'voice' }))), 'switch to voice');
  assert.equal(show(decideContact(request({ preferredChannel: 'sms' }))), 'send');
  const noVoice = { preferredChannel: 'voice', consent: { sms: 'granted', voice: 'opted-out' } } as const;
  assert.equal(show(decideContact(request(noVoice))), 'send'); // a due notice still reaches them by text
  assert.equal(show(decideContact(request({ ...noVoice, kind: 'marketing' }))), 'suppress not-preferred-channel');
  assert.equal(show(decideContact(request({ preferredChannel: 'voice', kind: 'marketing' }))), 'switch to voice');
  // A receipt and a reply keep their channel.
  assert.equal(show(decideContact(request({ preferredChannel: 'voice', kind: 'transactional' }))), 'send');
  assert.equal(show(decideContact(request({ preferredChannel: 'voice', replyToInbound: true }))), 'send');
});

test('zones with no common allowed minute: suppressed, not deferred forever', () => {
  const r = decideContact(request({ zones: ['Pacific/Guam', 'America/New_York'], rules: { defaultWindow: { start: 540, end: 600 }, states: {} } }));
  assert.equal(show(r), 'suppress no-contact-window');
});
