import twilio from 'twilio';
import { createRedirectingRequestClient } from '../twilio-client.js';

export { createRedirectingRequestClient };

/** What {@link twilioClientForFake} needs to know about the fake (a running `FakeTwilioApi` fits). */
export type FakeTwilioEndpoint = { url: string; accountSid: string; authToken: string };

/**
 * The real twilio SDK pointed at the fake REST API: everything the gateway
 * does with `client.messages.create` or `client.calls.create` runs through the
 * SDK's own request path. Retries and timeouts belong to the request client.
 */
export const twilioClientForFake = (fake: FakeTwilioEndpoint): twilio.Twilio =>
  twilio(fake.accountSid, fake.authToken, { httpClient: createRedirectingRequestClient(fake.url, { timeout: 5_000 }) });
