import { DEFAULT_GRACE_PERIOD_DAYS } from '../config/config.js';
import { readJsonFile } from '../shared/read-json-file.js';
import { DEFAULT_RECOVERY_SCHEDULE_JSON } from './default-recovery-schedule.js';
import { parseRecoverySchedule, type RecoverySchedule } from './recovery-schedule-config.js';

/**
 * The schedule of RECOVERY_SCHEDULE_FILE, or the default one without a file,
 * checked against a grace period of `graceDays` (GRACE_PERIOD_DAYS). Throws an
 * Error naming the file and each problem, so a process stops at start rather
 * than text a customer after their policy was cancelled.
 */
export const loadRecoverySchedule = (file: string | undefined, graceDays: number = DEFAULT_GRACE_PERIOD_DAYS): RecoverySchedule => {
  if (file === undefined) return parseRecoverySchedule(DEFAULT_RECOVERY_SCHEDULE_JSON, graceDays, 'the default recovery schedule (set RECOVERY_SCHEDULE_FILE)');
  return parseRecoverySchedule(readJsonFile(file, 'RECOVERY_SCHEDULE_FILE'), graceDays, `RECOVERY_SCHEDULE_FILE ${file}`);
};
