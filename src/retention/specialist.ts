import type { SupportedLocale } from '../shared/webhook-edge/supported-locale.js';
import type { WorkingHours } from './working-hours.js';

/** The languages a specialist may serve callers in: the locales the gateway speaks. */
export const SPECIALIST_LANGUAGES = ['en-US', 'es-US'] as const satisfies readonly SupportedLocale[];
export type SpecialistLanguage = (typeof SPECIALIST_LANGUAGES)[number];

/** Whether a specialist takes transfers now: only `available` ones are rung. */
export const AVAILABILITY_STATES = ['available', 'busy', 'away'] as const;
export type Availability = (typeof AVAILABILITY_STATES)[number];

/** A retention specialist as the registry hands it out (times as Dates, hours as stored). */
export type Specialist = {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  active: boolean;
  skills: string[];
  languages: SpecialistLanguage[];
  timeZone: string;
  /** Null: the gateway's business hours (BUSINESS_HOURS) apply. */
  workingHours: WorkingHours | null;
  availability: Availability;
  availabilityChangedAt: Date | null;
  lastOfferedAt: Date | null;
  createdAt: Date;
};

/** A specialist as the API answers it (ISO times). */
export const specialistJson = (s: Specialist) => ({
  ...s,
  availabilityChangedAt: s.availabilityChangedAt?.toISOString() ?? null,
  lastOfferedAt: s.lastOfferedAt?.toISOString() ?? null,
  createdAt: s.createdAt.toISOString(),
});
