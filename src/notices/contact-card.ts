import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** What the insurer's contact card says. */
export type ContactCard = { name: string; phone: string; website?: string | undefined };

/** The path the card is served at; texted as MMS media with the welcome notice. */
export const CONTACT_CARD_PATH = '/contact-card.vcf';

// RFC 2426 section 4: backslash, comma, semicolon and line breaks are escaped in text values.
const escapeText = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\r\n|\r|\n/g, '\\n').replace(/,/g, '\\,').replace(/;/g, '\\;');

/** RFC 2425 section 5.8.1: lines longer than 75 octets are folded (CRLF and one space), never inside a UTF-8 character. */
const fold = (line: string): string => {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    // why: a continuation line starts with a space, which counts against its 75 octets.
    if (octets + size > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
};

/**
 * The insurer's contact card as a vCard 3.0 (RFC 2426): N and FN (required), ORG, the gateway's
 * number as a work voice and text number (E.164, as TEL values are best written), and the website
 * when there is one. Lines end in CRLF, long ones folded; pure.
 */
export const renderContactCard = (c: ContactCard): string => {
  const name = escapeText(c.name);
  const tel = parsePhoneNumberFromString(c.phone)?.number ?? c.phone;
  const lines = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `N:${name};;;;`,
    `FN:${name}`,
    `ORG:${name}`,
    `TEL;TYPE=WORK,VOICE,MSG:${tel}`,
    ...(c.website ? [`URL:${c.website}`] : []),
    'END:VCARD',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
};

/** How the notices write the gateway's number to a customer: "(800) 555-0100" for a US number, else as given. */
export const formatPhoneForText = (e164: string): string => {
  const n = parsePhoneNumberFromString(e164);
  return n && n.country === 'US' ? n.formatNational() : e164;
};
