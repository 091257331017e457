import type { Db } from '../../db/pool.js';
import type { BusinessHours } from '../../shared/business-hours.js';
import type { Clock } from '../../shared/clock.js';
import type { CallControl } from '../../telephony/call-control.js';
import type { TransferTimings } from './transfer-deps.js';
import type { CallbackAttemptRules } from '../callbacks/end-callback-attempt.js';

/** What the transfer's jobs need: the database, the Calls API, the number calls come from, and the timings. */
export type TransferWorkerDeps = {
  db: Db;
  clock: Clock;
  calls: CallControl;
  /** The gateway's own number: specialists see it ringing. */
  fromNumber: string;
  /** PUBLIC_BASE_URL: the webhooks' absolute address, for the calls the gateway places. */
  publicBaseUrl: string;
  /** BUSINESS_HOURS: the hours of a specialist with none of their own. */
  defaultHours: BusinessHours;
  timings: TransferTimings;
  /** CALLBACK_RETRY_MINUTES and the text of a callback missed twice. */
  callbackRules: CallbackAttemptRules;
};
