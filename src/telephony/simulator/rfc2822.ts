/**
 * Formats a date the way Twilio writes `Timestamp` and `date_created`
 * (RFC 2822 in UTC, e.g. `Tue, 21 Nov 2026 18:31:00 +0000`).
 */
export const toRfc2822 = (date: Date): string => date.toUTCString().replace(/GMT$/, '+0000');
