import type { Availability, Specialist, SpecialistLanguage } from './specialist.js';
import type { WorkingHours } from './working-hours.js';

/** The columns every read of retention_specialists selects, in the shape toSpecialist takes. */
export const SPECIALIST_COLUMNS = `id, name, phone_e164, email, active, skills, languages, time_zone, working_hours,
  availability, availability_changed_at, last_offered_at, created_at`;

export type SpecialistRow = {
  id: string; name: string; phone_e164: string; email: string | null; active: boolean; skills: string[];
  languages: string[]; time_zone: string; working_hours: WorkingHours | null; availability: string;
  availability_changed_at: Date | null; last_offered_at: Date | null; created_at: Date;
};

/** A row as the registry hands it out (the database's checks guarantee the languages and availability). */
export const toSpecialist = (r: SpecialistRow): Specialist => ({
  id: r.id, name: r.name, phone: r.phone_e164, email: r.email, active: r.active, skills: r.skills,
  languages: r.languages as SpecialistLanguage[], timeZone: r.time_zone, workingHours: r.working_hours,
  availability: r.availability as Availability, availabilityChangedAt: r.availability_changed_at,
  lastOfferedAt: r.last_offered_at, createdAt: r.created_at,
});
