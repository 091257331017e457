/**
 * Channels where the customer is there when the charge is made (on the phone,
 * on a pay link, with a specialist). Their declines are answered in the
 * moment; only charges made without them (scheduled debits, retries) start
 * failed-debit recovery.
 */
const CUSTOMER_PRESENT = new Set(['ivr', 'sms-link', 'sms', 'console']);
export const isCustomerPresent = (channel: string): boolean => CUSTOMER_PRESENT.has(channel);
