import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

export type TwilioClient = twilio.Twilio;
type RequestOptions<TData> = RequestClient.RequestOptions<TData>;

/**
 * A `RequestClient` that sends every request the SDK makes to `baseUrl`
 * instead of `https://*.twilio.com`, keeping path, query, headers and auth.
 * Rewriting in the HTTP client (rather than `client.api.baseUrl`) covers every
 * Twilio domain and survives `region`/`edge` settings.
 */
export const createRedirectingRequestClient = (
  baseUrl: string,
  options: ConstructorParameters<typeof twilio.RequestClient>[0] = {},
) => {
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
 * The real twilio SDK; with `apiBaseUrl` (the simulated carrier) through the
 * SDK's own request path. The SDK retries only 429s; work that must not be
 * lost runs in an outbox job with its own retries.
 */
export const createTwilioClient = (o: { accountSid: string; authToken: string; apiBaseUrl?: string; timeoutMs?: number }) => {
  const options = { timeout: o.timeoutMs ?? 10_000, autoRetry: true, maxRetries: 3 };
  return twilio(o.accountSid, o.authToken, {
    httpClient: o.apiBaseUrl ? createRedirectingRequestClient(o.apiBaseUrl, options) : new twilio.RequestClient(options),
  });
};
