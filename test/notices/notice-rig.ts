import { DEFAULT_CONTACT_POLICY } from '../../src/contact/contact-policy-config.js';
import { processOutboxJob, type OutboxHandlers } from '../../src/jobs/outbox-worker.js';
import { createOutboxHandlers } from '../../src/runtime/outbox-handlers.js';
import type { Clock } from '../../src/shared/clock.js';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../src/telephony/simulator/fake-twilio-api.js';
import { createTwilioClient } from '../../src/telephony/twilio-client.js';
import { createTwilioCallControl } from '../../src/telephony/twilio-call-control.js';
import { parseBusinessHours } from '../../src/shared/business-hours.js';
import { createTwilioSmsSender } from '../../src/telephony/twilio-sms-sender.js';
import { TEST_PUBLIC_URL } from '../support/build-test-app.js';
import { startHarness, type Harness } from '../payments/payments-harness.js';

export const NOTICE_FROM = '+18005550100';

/** Payments on a fresh database (the fake Stripe), the fake Twilio API behind the real SDK, and every job handler as the worker wires them. */
export type NoticeRig = {
  h: Harness;
  carrier: FakeTwilioApi;
  handlers: OutboxHandlers;
  /** Runs one outbox row as the worker would, now on the rig's clock. */
  run: (outboxId: string) => ReturnType<typeof processOutboxJob>;
  close: () => Promise<void>;
};

const DEFAULT_TEST_HOURS = parseBusinessHours('America/New_York Mon-Fri 08:00-20:00');

export const startNoticeRig = async (clock: Clock): Promise<NoticeRig> => {
  const h = await startHarness({ clock });
  const carrier = await startFakeTwilioApi({ accountSid: 'ACtest', authToken: 'token', webhooks: { gatewayUrl: 'http://127.0.0.1:9', publicBaseUrl: TEST_PUBLIC_URL } });
  const client = createTwilioClient({ accountSid: 'ACtest', authToken: 'token', apiBaseUrl: carrier.url });
  const handlers = createOutboxHandlers({
    db: h.t.db, clock, smsSender: createTwilioSmsSender(client), calls: createTwilioCallControl(client), businessHours: DEFAULT_TEST_HOURS,
    fromNumber: NOTICE_FROM, publicBaseUrl: TEST_PUBLIC_URL, insurerName: 'Harbor Mutual', payments: h.payments, contactPolicy: DEFAULT_CONTACT_POLICY,
    homeZone: 'America/New_York',
  });
  return {
    h, carrier, handlers,
    run: (outboxId) => processOutboxJob({ db: h.t.db, clock, handlers }, outboxId, 1),
    close: async () => {
      await carrier.close();
      await h.close();
    },
  };
};
