import { carrierKeyword, type CarrierKeyword } from './opt-out-keywords.js';
import type { FakeTwilioError } from './fake-rest-resources.js';

/** Twilio's answer to a create from a number the recipient texted STOP to. */
export const UNSUBSCRIBED_RECIPIENT_ERROR: FakeTwilioError = { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' };

/**
 * The carrier's opt-out list, kept as Twilio keeps it: per pair of (our number, their number).
 * A person who texts STOP to one of our numbers blocks only that number; our other numbers may
 * still text them, until they text START to the blocked one.
 */
export type CarrierOptOuts = {
  /**
   * Records an inbound text `from` a person `to` one of our numbers; returns the keyword when it
   * changed the block (a STOP while blocked, or a YES while not, changes nothing and returns null).
   */
  record: (text: { from: string; to: string; body: string }) => CarrierKeyword;
  /** The 21610 error when `to` blocked texts from `from`, else undefined. */
  refusal: (from: string | undefined, to: string | undefined) => FakeTwilioError | undefined;
  /** Whether `person` blocked texts from `ours`. */
  blocks: (ours: string, person: string) => boolean;
};

export const createCarrierOptOuts = (): CarrierOptOuts => {
  const blocked = new Set<string>();
  // why: E.164 never holds a space, so the pair key cannot be ambiguous.
  const key = (ours: string, person: string) => `${ours} ${person}`;
  return {
    record: ({ from, to, body }) => {
      const keyword = carrierKeyword(body);
      const k = key(to, from);
      if (keyword === 'opt-out') return blocked.has(k) ? null : (blocked.add(k), keyword);
      // why: YES is also our payment confirmation: it lifts nothing unless a block exists, and then says so.
      if (keyword === 'opt-in') return blocked.delete(k) ? keyword : null;
      return keyword;
    },
    refusal: (from, to) => (from !== undefined && to !== undefined && blocked.has(key(from, to)) ? UNSUBSCRIBED_RECIPIENT_ERROR : undefined),
    blocks: (ours, person) => blocked.has(key(ours, person)),
  };
};
