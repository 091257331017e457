import type { ContactEngine } from '../contact/contact-engine.js';
import type { JobHandler } from '../jobs/job-registry.js';
import type { sendSmsJob } from '../jobs/contracts/send-sms.job.js';

/** Sends one outbound SMS through the contact engine: sent, deferred or suppressed, with its evidence. */
export const createSendSmsHandler =
  (deps: { contact: ContactEngine }): JobHandler<typeof sendSmsJob> =>
  async (job) => {
    const p = job.payload;
    return deps.contact.sendText({
      to: p.to, body: p.body, kind: p.kind, purpose: p.purpose,
      ...(p.from !== undefined ? { from: p.from } : {}),
      ...(p.policyholderId ? { policyholderId: p.policyholderId } : {}),
      ...(p.replyToInbound ? { replyToInbound: true } : {}),
    }, job);
  };
