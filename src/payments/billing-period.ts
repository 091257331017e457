import type { LockedDue } from './lock-due.js';

const PERIOD: Record<LockedDue['billing_frequency'], string> = {
  monthly: '1 month', quarterly: '3 months', semiannual: '6 months', annual: '1 year',
};
/** A billing frequency as a Postgres interval: how far one paid due moves a policy's dates. */
export const periodOf = (f: LockedDue['billing_frequency']): string => PERIOD[f];
