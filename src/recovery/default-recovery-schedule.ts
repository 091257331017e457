/**
 * The schedule used without RECOVERY_SCHEDULE_FILE, as that file would hold it:
 * a pay link at once, a call the next day, a charge retry on day 3 (moved to a
 * payday up to 3 days later), a reminder, a second call, a second retry, the
 * final notice 48 hours before the end of grace, the cancellation, and 14 days
 * to pay and be reinstated. Needs a grace period longer than 10 days.
 */
export const DEFAULT_RECOVERY_SCHEDULE_JSON = {
  // why: $500 a month is where an insurer's own caller is worth their time (a guess to tune per book).
  escalation: { premiumAboveCents: 50_000 },
  steps: [
    { id: 'pay-link', kind: 'sms-pay-link', day: 0 },
    { id: 'first-call', kind: 'call', day: 1, atLocalTime: '10:00' },
    { id: 'first-retry', kind: 'charge-retry', day: 3, atLocalTime: '09:00', alignToPayday: { daysBefore: 1, daysAfter: 3 } },
    { id: 'reminder', kind: 'reminder-sms', day: 5, atLocalTime: '10:00' },
    { id: 'second-call', kind: 'call', day: 7, atLocalTime: '17:30' },
    { id: 'second-retry', kind: 'charge-retry', day: 10, atLocalTime: '09:00', alignToPayday: { daysBefore: 2, daysAfter: 3 } },
    { id: 'final-notice', kind: 'final-notice', hoursBeforeGraceEnd: 48 },
    { id: 'cancel', kind: 'cancel' },
    { id: 'reinstatement-offer', kind: 'reinstatement-offer', validDays: 14 },
  ],
} as const;
