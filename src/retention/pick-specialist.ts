import { isOpen, type BusinessHours } from '../shared/business-hours.js';
import { toSupportedLocale } from '../shared/webhook-edge/supported-locale.js';
import type { Specialist } from './specialist.js';
import { nextOpening, toBusinessHours } from './working-hours.js';

/** What picking needs of a specialist. */
export type PickableSpecialist = Pick<Specialist, 'id' | 'languages' | 'timeZone' | 'workingHours' | 'availability' | 'lastOfferedAt' | 'active'>;

export type PickRequest = {
  /** The caller's locale as stored or detected ('es-US', 'es', null...): any Spanish goes to Spanish speakers first. */
  callerLocale: string | null | undefined;
  now: Date;
  /** Specialists already rung for this transfer: never rung twice. */
  tried?: readonly string[];
  /** The gateway's business hours (BUSINESS_HOURS): the hours of a specialist who has none of their own. */
  defaultHours: BusinessHours;
};

/** A specialist's hours as one checkable shape: their own in their zone, else the gateway's. */
export const hoursOf = (s: Pick<PickableSpecialist, 'workingHours' | 'timeZone'>, defaultHours: BusinessHours): BusinessHours =>
  s.workingHours ? toBusinessHours(s.workingHours, s.timeZone) : defaultHours;

/** Whether `s` could take a transfer at `now`: active, available and within their working hours. */
export const canServeNow = (s: PickableSpecialist, now: Date, defaultHours: BusinessHours): boolean =>
  s.active && s.availability === 'available' && isOpen(hoursOf(s, defaultHours), now);

/**
 * Who to ring for a transfer, in order: those who can serve now and were not tried yet; speakers of
 * the caller's language before the others (a Spanish caller still reaches an English speaker rather
 * than no one), then the one offered longest ago (never offered first), then by id so the order is stable.
 */
export const pickSpecialists = <S extends PickableSpecialist>(specialists: readonly S[], r: PickRequest): S[] => {
  const tried = new Set(r.tried ?? []);
  const language = toSupportedLocale(r.callerLocale);
  const speaks = (s: S) => (s.languages.includes(language) ? 0 : 1);
  const offered = (s: S) => s.lastOfferedAt?.getTime() ?? -Infinity;
  return specialists
    .filter((s) => !tried.has(s.id) && canServeNow(s, r.now, r.defaultHours))
    .sort((a, b) => speaks(a) - speaks(b) || offered(a) - offered(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
};

/**
 * Whether anyone could take a transfer now and, if not, when the next active specialist's working
 * hours begin (for offering a callback slot): null when no active specialist's hours begin in the
 * next 8 days (none has hours, or the only ones are open around the clock and they are away). Someone
 * within their hours but busy or away does not count as serving now; the next opening is a start of
 * hours, since when they free up is not known.
 */
export const whenNextOpen = (
  specialists: readonly PickableSpecialist[], r: Pick<PickRequest, 'now' | 'defaultHours'>,
): { servingNow: true } | { servingNow: false; nextOpening: Date | null } => {
  if (specialists.some((s) => canServeNow(s, r.now, r.defaultHours))) return { servingNow: true };
  const openings = specialists.filter((s) => s.active)
    .map((s) => nextOpening(hoursOf(s, r.defaultHours), r.now))
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime());
  return { servingNow: false, nextOpening: openings[0] ?? null };
};
