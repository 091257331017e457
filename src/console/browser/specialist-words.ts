// The specialist page's words: the gateway's codes (reasons, offers, decline classes, call steps) in
// plain English for a person about to talk to a customer.

export const WHY: Record<string, string> = {
  cancel: 'Wants to cancel', 'mis-selling': 'Mis-selling complaint (priority)', asked: 'Asked for a specialist', trouble: 'Had trouble in self-service',
};
export const CANCEL_REASONS: Record<string, string> = {
  'too-expensive': 'It costs too much', 'found-cheaper': 'Found cheaper or duplicate cover', 'no-longer-needed': 'No longer needs it',
  'family-objects': 'A family member objects', 'mis-sold': 'Says it was mis-sold', other: 'Another reason',
};
export const OFFERS: Record<string, string> = {
  'downgrade-tier': 'A lower tier', 'downgrade-sum': 'A lower sum insured', 'move-date': 'A new payment date',
  'skip-instalment': 'Skipping an instalment', 'explain-cover': 'The cover explained',
};
/** What a declined card's class means for the specialist. */
export const DECLINE_CLASS: Record<string, string> = {
  'never-retry': 'this card will never be accepted again: ask for a different one',
  'new-details': 'the customer must update the card details',
  'retry-later': 'may go through later (no funds, or the bank was unavailable)',
};
export const DUE_STATUS: Record<string, string> = { open: 'not paid yet', paid: 'paid', failed: 'failed', waived: 'waived', cancelled: 'cancelled' };
export const CHANNELS: Record<string, string> = { ivr: 'by phone', 'sms-link': 'by pay link', retry: 'automatic retry', console: 'console', debit: 'scheduled debit' };
export const AVAILABILITY: Record<string, string> = { available: 'Available', busy: 'Busy', away: 'Away' };
export const TASK_STATUS: Record<string, string> = { open: 'Open', claimed: 'Claimed', done: 'Done', cancelled: 'Cancelled' };
export const CALLBACK_STATUS: Record<string, string> = { open: 'To call', done: 'Done', missed: 'Missed twice: follow up', cancelled: 'Cancelled' };

/** A code in words, or the code itself when there are none for it. */
export const words = (table: Record<string, string>, code: string | null | undefined): string => (code ? table[code] ?? code : '—');
