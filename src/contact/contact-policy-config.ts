import { IANAZone } from 'luxon';
import { z } from 'zod';
import { configError, strictObject as object } from './config-issues.js';
import type { FrequencyCaps } from './frequency-caps.js';
import type { LocalWindow, QuietHoursRules, StateQuietRule } from './quiet-hours.js';
import { ALL_US_ZONES, isUsStateCode, type UsStateCode } from './us-states.js';

/** Quiet hours, caps and the fallback zones, as every contact decision takes them. */
export type ContactPolicy = {
  quietHours: QuietHoursRules;
  caps: FrequencyCaps;
  /** Zones assumed for a number we cannot place (see `placeRecipient`). */
  unknownRecipientZones: readonly string[];
};

/** TCPA 08:00-21:00 recipient-local; Florida 08:00-20:00; 3 texts a day and 6 a week, 2 calls a day and 7 a week. */
export const DEFAULT_CONTACT_POLICY: ContactPolicy = {
  quietHours: { defaultWindow: { start: 8 * 60, end: 21 * 60 }, states: { FL: { window: { start: 8 * 60, end: 20 * 60 } } } },
  caps: { sms: { daily: 3, weekly: 6 }, voice: { daily: 2, weekly: 7 } },
  unknownRecipientZones: ALL_US_ZONES,
};

const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const time = z.string({ error: 'is not a time' }).regex(HH_MM, { error: 'is not a time' });
const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

// why: zero-padded "HH:MM" strings order as times do, so a window is checked before any conversion.
const endsAfterStart = (w: { start?: string | undefined; end?: string | undefined }, ctx: z.RefinementCtx): void => {
  if ((w.start === undefined) !== (w.end === undefined)) {
    ctx.addIssue({ code: 'custom', path: [w.end === undefined ? 'end' : 'start'], input: undefined, message: 'is missing (a window needs start and end)' });
  } else if (w.start && w.end && HH_MM.test(w.start) && HH_MM.test(w.end) && w.end <= w.start) {
    ctx.addIssue({ code: 'custom', path: ['end'], input: w.end, message: `is not after the start "${w.start}"` });
  }
};

const window = object({ start: time, end: time }).superRefine(endsAfterStart);
const stateRule = object({
  start: time.optional(),
  end: time.optional(),
  noSundayCalls: z.boolean({ error: 'is not true or false' }).optional(),
}).superRefine(endsAfterStart);

const count = z.number({ error: 'is not a number' }).int({ error: 'is not a whole number' }).min(1, { error: 'is less than 1' });
const channelCaps = object({ daily: count, weekly: count });

const zone = z.string({ error: 'is not a time zone' }).refine((s) => IANAZone.isValidZone(s), { error: 'is not an IANA time zone' });

const schema = object({
  quietHours: object({
    default: window.optional(),
    /** Merged over the default states: an entry replaces that state's default rule. */
    states: z.record(z.string().refine(isUsStateCode, { error: 'is not a two-letter US state code' }), stateRule, { error: 'is not an object' }).optional(),
  }).optional(),
  caps: object({ sms: channelCaps.optional(), voice: channelCaps.optional() }).optional(),
  unknownRecipientZones: z.array(zone).min(1, { error: 'lists no zone' }).optional(),
});

const toWindow = (w: { start: string; end: string }): LocalWindow => ({ start: minutes(w.start), end: minutes(w.end) });

/**
 * The contact policy from its JSON configuration; anything left out takes its
 * default. Throws an Error naming each bad field, its value and what is wrong:
 * `quietHours.states.FL.end: "25:00" is not a time`.
 */
export const parseContactPolicy = (json: unknown): ContactPolicy => {
  const parsed = schema.safeParse(json, { reportInput: true });
  if (!parsed.success) throw configError('contact policy', parsed.error);
  const given = parsed.data;
  const defaults = DEFAULT_CONTACT_POLICY;
  const states: Partial<Record<UsStateCode, StateQuietRule>> = { ...defaults.quietHours.states };
  for (const [code, rule] of Object.entries(given.quietHours?.states ?? {})) {
    const window = rule.start && rule.end ? toWindow({ start: rule.start, end: rule.end }) : undefined;
    states[code as UsStateCode] = { ...(window && { window }), ...(rule.noSundayCalls !== undefined && { noSundayCalls: rule.noSundayCalls }) };
  }
  return {
    quietHours: { defaultWindow: given.quietHours?.default ? toWindow(given.quietHours.default) : defaults.quietHours.defaultWindow, states },
    caps: { sms: given.caps?.sms ?? defaults.caps.sms, voice: given.caps?.voice ?? defaults.caps.voice },
    unknownRecipientZones: given.unknownRecipientZones ?? defaults.unknownRecipientZones,
  };
};
