import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPhoneForText, renderContactCard } from './contact-card.js';

test('a vCard 3.0 with N, FN, ORG, TEL and URL, CRLF line ends, text values escaped', () => {
  const card = renderContactCard({ name: 'Harbor, Mutual; Co\\Ltd', phone: '+18005550100', website: 'https://harbor.example/contact' });
  assert.equal(card, [
    'BEGIN:VCARD', 'VERSION:3.0', 'N:Harbor\\, Mutual\\; Co\\\\Ltd;;;;', 'FN:Harbor\\, Mutual\\; Co\\\\Ltd', 'ORG:Harbor\\, Mutual\\; Co\\\\Ltd',
    'TEL;TYPE=WORK,VOICE,MSG:+18005550100', 'URL:https://harbor.example/contact', 'END:VCARD', '',
  ].join('\r\n'));
  assert.ok(!renderContactCard({ name: 'Harbor Mutual', phone: '+18005550100' }).includes('URL:'), 'no website, no URL line');
});

test('lines over 75 octets are folded with CRLF and a space, never inside a character', () => {
  const name = `Compañía de Seguros ${'ñ'.repeat(60)}`;
  const card = renderContactCard({ name, phone: '+18005550100' });
  const lines = card.split('\r\n');
  assert.ok(lines.every((l) => Buffer.byteLength(l) <= 75), 'every physical line within 75 octets');
  const unfolded = card.replace(/\r\n /g, '');
  assert.ok(unfolded.includes(`FN:${name}\r\n`), 'unfolding gives the name back whole');
});

test('the gateway’s number as a customer reads it', () => {
  assert.equal(formatPhoneForText('+18005550100'), '(800) 555-0100');
  assert.equal(formatPhoneForText('+442071838750'), '+442071838750');
});
