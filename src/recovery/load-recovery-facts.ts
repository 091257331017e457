import { DateTime } from 'luxon';
import type { Queryable } from '../db/pool.js';
import { findChannelConsents } from '../consent/find-channel-consents.js';
import { findRecoveryDue, type RecoveryDue } from '../payments/find-recovery-due.js';
import { findContactProfile } from '../policies/find-contact-profile.js';
import { findPreferredPhone } from '../policies/find-preferred-phone.js';
import type { RecoveryFacts } from './recovery-facts.js';
import { askedForPerson } from './recovery-tasks.js';

/** Who a recovery reaches: the holder's number (null: none on record), language and zone. */
export type RecoveryContact = { policyholderId: string; phone: string | null; locale: 'en-US' | 'es-US'; zone: string };

export type LoadedRecovery = { facts: RecoveryFacts; due: RecoveryDue; contact: RecoveryContact };

/** The last day of grace is `graceDays` after the due date (as the IVR says it); grace ends when the next day starts, in the holder's zone. */
export const graceEndOf = (dueDate: string, graceDays: number, zone: string): string =>
  DateTime.fromISO(dueDate, { zone }).plus({ days: graceDays + 1 }).startOf('day').toUTC().toISO()!;

/**
 * Everything the recovery planner knows of a due now, read fresh at each wake: the amount and
 * whether it was paid, the failure and its verdict, the card's history, the holder's zone, number,
 * language and consents. Null for an unknown due. Days count from the due's first failed charge (a
 * later failed retry does not move the schedule); a due with no failure recorded counts from `now`.
 */
export const loadRecoveryFacts = async (
  db: Queryable, dueId: string, o: { now: Date; graceDays: number; homeZone: string },
): Promise<LoadedRecovery | null> => {
  const due = await findRecoveryDue(db, dueId);
  if (!due) return null;
  const [profile, phone] = await Promise.all([
    findContactProfile(db, { policyholderId: due.policyholderId, phone: '' }),
    findPreferredPhone(db, due.policyholderId),
  ]);
  const zone = profile?.timeZone ?? o.homeZone;
  const [consents, asked] = await Promise.all([
    phone ? findChannelConsents(db, phone) : { sms: 'none' as const, voice: 'none' as const },
    askedForPerson(db, dueId),
  ]);
  const facts: RecoveryFacts = {
    failedAt: (due.failure?.firstAt ?? o.now).toISOString(),
    graceEndsAt: graceEndOf(due.dueDate, o.graceDays, zone),
    zone,
    amountCents: due.amountCents,
    currency: due.currency,
    decline: due.failure?.verdict ?? { class: 'retry-later', reason: 'The bank gave no reason.', basis: 'none recorded' },
    card: due.card,
    paydays: [],
    consent: { sms: consents.sms === 'granted', voice: consents.voice === 'granted' },
    askedForPerson: asked,
    paidAt: due.status === 'paid' ? (due.paidAt ?? o.now).toISOString() : null,
  };
  const locale = profile?.locale === 'es-US' ? 'es-US' : 'en-US';
  return { facts, due, contact: { policyholderId: due.policyholderId, phone, locale, zone } };
};
