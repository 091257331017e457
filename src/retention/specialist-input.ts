import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { AVAILABILITY_STATES, SPECIALIST_LANGUAGES } from './specialist.js';
import { isTimeZone, workingHoursSchema } from './working-hours.js';

const E164 = /^\+[1-9]\d{6,14}$/;

// why: possible, not valid: libphonenumber calls the 555 numbers the carrier simulator and demos use
// invalid (no such area code), yet they have the right length and are what a test dials.
const possiblePhone = (v: string) => parsePhoneNumberFromString(v)?.isPossible() === true;

/** A specialist's languages: one or both locales the gateway speaks, each once. */
export const languagesSchema = z.array(
  z.enum(SPECIALIST_LANGUAGES, { error: `a language must be one of ${SPECIALIST_LANGUAGES.join(', ')}` }),
  { error: `languages must be a list of ${SPECIALIST_LANGUAGES.join(', ')}` },
).min(1, `languages must list at least one of ${SPECIALIST_LANGUAGES.join(', ')}`)
  .refine((l) => new Set(l).size === l.length, 'languages lists a language twice');

/** A new specialist, as the API's body and the CLI give it; the message of each issue says what is wrong with the field. */
export const newSpecialistSchema = z.strictObject({
  name: z.string({ error: 'name must be text' }).trim().min(1, 'name is empty').max(120, 'name is longer than 120 characters'),
  phone: z.string({ error: 'phone must be text' }).regex(E164, 'phone must be an E.164 number, e.g. +15550100002')
    .refine(possiblePhone, 'phone is not a possible number for its country code'),
  email: z.email('email is not an e-mail address').max(254, 'email is longer than 254 characters').optional(),
  languages: languagesSchema,
  /** Default: the insurer's zone (BUSINESS_HOURS'). */
  timeZone: z.string({ error: 'timeZone must be text' }).refine(isTimeZone, 'timeZone must be an IANA time zone, e.g. America/Chicago').optional(),
  /** Absent or null: the business hours. */
  workingHours: workingHoursSchema.nullable().optional(),
  skills: z.array(z.string().trim().min(1, 'a skill is empty').max(40, 'a skill is longer than 40 characters'), { error: 'skills must be a list of words' })
    .max(20, 'skills lists more than 20 skills').optional(),
  /** Default: away (they say when they are available). */
  availability: z.enum(AVAILABILITY_STATES, { error: `availability must be one of ${AVAILABILITY_STATES.join(', ')}` }).optional(),
}, { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}` : iss.code === 'invalid_type' ? 'the body must be a JSON object' : undefined) });
export type NewSpecialist = z.infer<typeof newSpecialistSchema>;

/** The body of PUT /api/specialists/:id/availability. */
export const availabilityBodySchema = z.strictObject({
  state: z.enum(AVAILABILITY_STATES, { error: `state must be one of ${AVAILABILITY_STATES.join(', ')}` }),
}, { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}` : iss.code === 'invalid_type' ? 'the body must be a JSON object {"state": ...}' : undefined) });

/** Each issue as "field: reason" (the body itself as "body"), for a 400 that names every bad field. */
export const describeIssues = (error: z.ZodError): string[] =>
  error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
