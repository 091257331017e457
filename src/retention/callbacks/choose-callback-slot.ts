import { isOpen, type BusinessHours } from '../../shared/business-hours.js';
import { toSupportedLocale } from '../../shared/webhook-edge/supported-locale.js';
import { hoursOf, type PickableSpecialist } from '../pick-specialist.js';

/** How callback slots are cut: their length, how soon the first may start, how far ahead to look. */
export type SlotRules = { slotMinutes: number; leadMinutes: number; horizonDays: number };

export const DEFAULT_SLOT_RULES: SlotRules = { slotMinutes: 15, leadMinutes: 15, horizonDays: 8 };

export type SlotRequest = {
  now: Date;
  /** The customer's language: a slot with a speaker of it on shift comes first, if any speaker exists. */
  callerLocale: string | null | undefined;
  /** Slots already booked by open callbacks (their start times): each specialist takes one callback per slot. */
  booked: readonly Date[];
  defaultHours: BusinessHours;
  rules?: SlotRules;
};

/**
 * Pure: when to call a customer back. The earliest slot start (a multiple of `slotMinutes` since
 * the epoch, at least `leadMinutes` from now) when more specialists are on shift for the whole slot
 * than callbacks are already booked in it. Specialists who speak the customer's language are the
 * only ones counted when any active one does, so a Spanish speaker calls a Spanish-speaking customer
 * back. Availability (busy, away) is not counted: it is a state of the moment, hours are the plan.
 * Null when no active specialist is on shift in the next `horizonDays`.
 */
export const chooseCallbackSlot = (specialists: readonly PickableSpecialist[], r: SlotRequest): Date | null => {
  const rules = r.rules ?? DEFAULT_SLOT_RULES;
  const slotMs = rules.slotMinutes * 60_000;
  const active = specialists.filter((s) => s.active);
  const language = toSupportedLocale(r.callerLocale);
  const speakers = active.filter((s) => s.languages.includes(language));
  const team = (speakers.length > 0 ? speakers : active).map((s) => hoursOf(s, r.defaultHours));
  if (team.length === 0) return null;
  const taken = new Map<number, number>();
  for (const b of r.booked) taken.set(b.getTime(), (taken.get(b.getTime()) ?? 0) + 1);
  const first = Math.ceil((r.now.getTime() + rules.leadMinutes * 60_000) / slotMs) * slotMs;
  const last = r.now.getTime() + rules.horizonDays * 86_400_000;
  for (let start = first; start <= last; start += slotMs) {
    // why: on shift for the whole slot: open at its start and at its last minute.
    const end = new Date(start + slotMs - 60_000);
    const onShift = team.filter((h) => isOpen(h, new Date(start)) && isOpen(h, end)).length;
    if (onShift > (taken.get(start) ?? 0)) return new Date(start);
  }
  return null;
};
