import type { JobHandler } from '../jobs/job-registry.js';
import { sendConsentedSms, type ConsentedSmsDeps } from './send-consented-sms.js';
import type { sendSmsJob } from '../jobs/contracts/send-sms.job.js';

/** Sends one outbound SMS if the number consented; the provider's id goes into the evidence. */
export const createSendSmsHandler =
  (deps: ConsentedSmsDeps): JobHandler<typeof sendSmsJob> =>
  async (job) => ({
    evidence: await sendConsentedSms(deps, {
      to: job.payload.to,
      body: job.payload.body,
      ...(job.payload.from !== undefined ? { from: job.payload.from } : {}),
      job,
    }),
  });
