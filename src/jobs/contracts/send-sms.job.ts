import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/**
 * An outbound text, sent through the contact engine (consent, quiet hours, caps and the sender's
 * rate, at the moment of sending); `from` defaults to the gateway's number. Version 2 adds what the
 * engine needs; a version-1 row (`to`, `body`, `from`) reads as an informational text.
 */
export const sendSmsJob = defineJob({
  topic: 'sms.send',
  version: 2,
  payload: z.object({
    to: z.string().min(1),
    body: z.string().min(1),
    from: z.string().min(1).optional(),
    kind: z.enum(['transactional', 'informational', 'marketing']).default('informational'),
    purpose: z.string().min(1).max(64).default('text'),
    policyholderId: z.string().uuid().nullable().optional(),
    replyToInbound: z.boolean().optional(),
  }),
});
