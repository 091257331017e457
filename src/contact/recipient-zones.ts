import { IANAZone } from 'luxon';
import type { NanpPrefixData } from './nanp-prefix-data.js';
import { ALL_US_ZONES, US_STATE_CODES, US_STATE_ZONES, type UsStateCode } from './us-states.js';

/** What we know of where a policyholder is; `e164` is the number we are about to text or call. */
export type RecipientHint = {
  e164: string;
  /** An IANA zone the policyholder told us or their address gives; wins over everything else. */
  knownZone?: string;
  /** The state of the policyholder's address. */
  knownState?: UsStateCode;
};

/**
 * The zones the recipient may be in (quiet hours must hold in every one of them)
 * and the states whose rules apply, with how we got there (for the evidence).
 */
export type RecipientPlace = {
  zones: readonly string[];
  states: readonly UsStateCode[];
  basis: 'known-zone' | 'known-state' | 'number-prefix' | 'unknown-number';
};

const NANP_NUMBER = /^\+1(\d{10})$/;

/** Every zone of a NANP number's area code; null for a non-NANP, malformed or unassigned number. */
export const zonesOfNumber = (e164: string, data: NanpPrefixData): readonly string[] | null => {
  const m = NANP_NUMBER.exec(e164.trim());
  return (m && data.zonesByAreaCode.get(m[1]!.slice(0, 3))) || null;
};

/** The US states a number's area code serves; empty when it is not a US area code or not a NANP number. */
export const statesOfNumber = (e164: string, data: NanpPrefixData): readonly UsStateCode[] => {
  const m = NANP_NUMBER.exec(e164.trim());
  return (m && data.statesByAreaCode.get(m[1]!.slice(0, 3))) || [];
};

/**
 * Where the recipient may be. Never throws: a known zone wins (an invalid one is
 * ignored); a known state narrows the number's zones to its own; a number we
 * cannot place gets `fallbackZones` (by default every US zone) and every state's
 * rules, the strictest reading.
 * why: a NANP number outside the US (Canada, Puerto Rico, the Caribbean) keeps
 * its own zones rather than the US fallback: its local time is what quiet hours
 * protect, and the US intersection would allow 21:00-22:00 in Puerto Rico.
 */
export const placeRecipient = (
  hint: RecipientHint,
  data: NanpPrefixData,
  fallbackZones: readonly string[] = ALL_US_ZONES,
): RecipientPlace => {
  const numberZones = zonesOfNumber(hint.e164, data);
  const numberStates = statesOfNumber(hint.e164, data);
  const states = hint.knownState ? [hint.knownState] : numberZones ? numberStates : US_STATE_CODES;
  if (hint.knownZone && IANAZone.isValidZone(hint.knownZone)) {
    return { zones: [hint.knownZone], states, basis: 'known-zone' };
  }
  if (hint.knownState) {
    const stateZones: readonly string[] = US_STATE_ZONES[hint.knownState];
    const narrowed = (numberZones ?? []).filter((z) => stateZones.includes(z));
    // why: a mobile number keeps its area code when its owner moves; the address state is
    // the better witness, so a number from elsewhere gets the state's zones alone.
    return { zones: narrowed.length ? narrowed : stateZones, states, basis: 'known-state' };
  }
  if (numberZones) return { zones: numberZones, states, basis: 'number-prefix' };
  return { zones: fallbackZones, states, basis: 'unknown-number' };
};
