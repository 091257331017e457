import type { SmsCatalog } from '../../sms/sms-catalog.js';
import { DEFAULT_TRANSFER_TIMINGS, type TransferTimings } from '../transfer/transfer-deps.js';
import type { CallbackAttemptRules } from './end-callback-attempt.js';

/** The rules ending a callback's attempt, from the configured timings and the SMS wording. */
export const callbackRulesOf = (timings: TransferTimings | undefined, sms: SmsCatalog, insurerName: string): CallbackAttemptRules => ({
  retryMinutes: timings?.callbackRetryMinutes ?? DEFAULT_TRANSFER_TIMINGS.callbackRetryMinutes,
  missedText: (locale) => sms.text(locale, 'callbackMissed', { insurer: insurerName }),
});
