import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

type RequestOptions<TData> = RequestClient.RequestOptions<TData>;

/** What {@link twilioClientForFake} needs to know about the fake (a running `FakeTwilioApi` fits). */
export type FakeTwilioEndpoint = { url: string; accountSid: string; authToken: string };

/**
 * A `RequestClient` that sends every request the SDK makes to `baseUrl`
 * instead of `https://*.twilio.com`, keeping path, query, headers and auth.
 * Rewriting in the HTTP client (rather than `client.api.baseUrl`) covers every
 * Twilio domain and survives `region`/`edge` settings.
 */
export const createRedirectingRequestClient = (baseUrl: string, options: ConstructorParameters<typeof twilio.RequestClient>[0] = {}) => {
  const base = new URL(baseUrl);
  class RedirectingRequestClient extends twilio.RequestClient {
    override request<TData>(opts: RequestOptions<TData>) {
      const uri = new URL(opts.uri);
      uri.protocol = base.protocol;
      uri.host = base.host;
      return super.request<TData>({ ...opts, uri: uri.toString() });
    }
  }
  return new RedirectingRequestClient(options);
};

/**
 * The real twilio SDK pointed at the fake REST API: everything the gateway
 * does with `client.messages.create` or `client.calls.create` runs through the
 * SDK's own request path. Retries and timeouts belong to the request client.
 */
export const twilioClientForFake = (fake: FakeTwilioEndpoint): twilio.Twilio =>
  twilio(fake.accountSid, fake.authToken, { httpClient: createRedirectingRequestClient(fake.url, { timeout: 5_000 }) });
