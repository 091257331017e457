import { DateTime } from 'luxon';
import { ALL_US_ZONES, type UsStateCode } from './us-states.js';

export type Channel = 'sms' | 'voice';

/** A daily window in the recipient's local time: minutes after midnight, `end` exclusive (21:00 = 1260). */
export type LocalWindow = { start: number; end: number };

/** A state's stricter rules: its own window (both channels) and whether calls are barred on Sundays. */
export type StateQuietRule = { window?: LocalWindow; noSundayCalls?: boolean };

/** The TCPA default window for every recipient, then the states' own rules on top of it. */
export type QuietHoursRules = {
  defaultWindow: LocalWindow;
  states: Partial<Record<UsStateCode, StateQuietRule>>;
};

/** The next time contact is allowed, or why none was found within `searchedDays`. */
export type NextAllowed = { found: true; at: Date } | { found: false; reason: 'no-common-window'; searchedDays: number };

/** How far `nextAllowedAt` looks ahead: a full week plus a day covers any weekly rule. */
export const SEARCH_DAYS = 8;

const SUNDAY = 7;

/** The window and day rules that bind a recipient in `states`: the latest start and the earliest end. */
export type EffectiveRule = { window: LocalWindow; noSunday: boolean };

export const effectiveRule = (states: readonly UsStateCode[], rules: QuietHoursRules, channel: Channel): EffectiveRule => {
  let { start, end } = rules.defaultWindow;
  let noSunday = false;
  for (const state of states) {
    const rule = rules.states[state];
    if (!rule) continue;
    if (rule.window) {
      start = Math.max(start, rule.window.start);
      end = Math.min(end, rule.window.end);
    }
    // why: the state Sunday bans found in the research cover telephone calls, not texts.
    if (rule.noSundayCalls && channel === 'voice') noSunday = true;
  }
  return { window: { start, end }, noSunday };
};

// why: an empty zone list must never read as "no zone objects", so it means "anywhere in the US".
const candidateZones = (zones: readonly string[]): readonly string[] => (zones.length ? zones : ALL_US_ZONES);

/** The instant seen in one zone is inside the rule: its local minute of day, and not a barred Sunday. */
const insideInZone = (at: Date, zone: string, rule: EffectiveRule): boolean => {
  const local = DateTime.fromJSDate(at, { zone });
  if (rule.noSunday && local.weekday === SUNDAY) return false;
  const minute = local.hour * 60 + local.minute;
  return minute >= rule.window.start && minute < rule.window.end;
};

/**
 * May we contact now? Only when the instant is inside the window in EVERY
 * candidate zone (the intersection rule: we do not know which one the
 * recipient is in). Pure: `now` comes from the caller's clock.
 */
export const isContactAllowed = (
  now: Date,
  zones: readonly string[],
  states: readonly UsStateCode[],
  rules: QuietHoursRules,
  channel: Channel,
): boolean => {
  const rule = effectiveRule(states, rules, channel);
  return candidateZones(zones).every((zone) => insideInZone(now, zone, rule));
};

/**
 * The first instant from `now` at which contact is allowed in every candidate
 * zone: `now` itself when allowed, else the opening of some zone's window (an
 * intersection of windows can only begin where one of them begins), tried in
 * order over the next SEARCH_DAYS days. DST-correct: the opening is set on the
 * local calendar day (`set({ hour })`, not midnight plus hours).
 */
export const nextAllowedAt = (
  now: Date,
  zones: readonly string[],
  states: readonly UsStateCode[],
  rules: QuietHoursRules,
  channel: Channel,
): NextAllowed => {
  const rule = effectiveRule(states, rules, channel);
  const all = candidateZones(zones);
  const allowed = (at: Date) => all.every((zone) => insideInZone(at, zone, rule));
  if (rule.window.start >= rule.window.end) return { found: false, reason: 'no-common-window', searchedDays: SEARCH_DAYS };
  if (allowed(now)) return { found: true, at: now };
  const limit = now.getTime() + SEARCH_DAYS * 24 * 60 * 60 * 1000;
  const openings: Date[] = [];
  for (const zone of all) {
    const today = DateTime.fromJSDate(now, { zone }).startOf('day');
    for (let day = 0; day <= SEARCH_DAYS; day++) {
      const opening = today
        .plus({ days: day })
        .set({ hour: Math.floor(rule.window.start / 60), minute: rule.window.start % 60 })
        .toJSDate();
      if (opening.getTime() > now.getTime() && opening.getTime() <= limit) openings.push(opening);
    }
  }
  openings.sort((a, b) => a.getTime() - b.getTime());
  const at = openings.find(allowed);
  return at ? { found: true, at } : { found: false, reason: 'no-common-window', searchedDays: SEARCH_DAYS };
};
