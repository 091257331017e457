import { SegmentedMessage } from 'sms-segments-calculator';

/** How a text travels and what it costs: its encoding and the number of SMS segments the carrier bills. */
export type SmsSegments = {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Characters that forced UCS-2 (an accented letter outside GSM-7, an emoji): what to reword to save segments. */
  nonGsm: string[];
};

// GSM-7 basic-set characters only (printable ASCII less the backtick and the extension characters
// ^ { } [ ] ~ | \, and the Spanish letters ñ Ñ é É ü Ü ¡ ¿): one septet each, no UCS-2, nothing to look up.
const PLAIN_GSM = /^[A-Za-z0-9 !"#$%&'()*+,\-./:;<=>?@_ñÑéÉüÜ¡¿]*$/;

/**
 * Counts a text's segments as the carrier will (Twilio's own calculator, sms-segments-calculator):
 * GSM-7 at 160 characters, 153 per part when split, extension characters (€ [ ] { } ~ ^ | \) counted
 * twice; anything else (á í ó ú, emoji) makes the whole text UCS-2 at 70, 67 per part, with
 * characters never split across parts. Counted before sending, recorded with the send, and used
 * by the rate limits and caps that count segments.
 */
export const countSegments = (body: string): SmsSegments => {
  // why: the calculator costs about half a millisecond a text; a batch of 10,000 notices is planned by its segments.
  // Plain GSM-7 text is 160 characters in one segment, 153 per part after (the calculator agrees: count-segments.test.ts).
  if (PLAIN_GSM.test(body)) return { encoding: 'GSM-7', segments: body.length <= 160 ? 1 : Math.ceil(body.length / 153), nonGsm: [] };
  const m = new SegmentedMessage(body, 'auto');
  return {
    encoding: m.encodingName === 'UCS-2' ? 'UCS-2' : 'GSM-7',
    segments: body === '' ? 1 : m.segmentsCount,
    nonGsm: m.getNonGsmCharacters(),
  };
};
