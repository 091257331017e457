import twilio from 'twilio';

export type TwilioClient = ReturnType<typeof twilio>;

/**
 * The real twilio SDK. With `apiBaseUrl` every request (whatever Twilio
 * domain the SDK aims at) goes to that origin instead: how the gateway talks
 * to the simulated carrier's loopback REST API in development and tests,
 * through the SDK's own request path. The SDK retries only 429s; work that
 * must not be lost runs in an outbox job with its own retries.
 */
export const createTwilioClient = (o: { accountSid: string; authToken: string; apiBaseUrl?: string; timeoutMs?: number }) => {
  const base = o.apiBaseUrl ? new URL(o.apiBaseUrl) : null;
  class RedirectingClient extends twilio.RequestClient {
    override request<T>(opts: Parameters<twilio.RequestClient['request']>[0]) {
      if (base) {
        const u = new URL(opts.uri);
        u.protocol = base.protocol;
        u.host = base.host;
        opts = { ...opts, uri: u.toString() };
      }
      return super.request<T>(opts as never);
    }
  }
  return twilio(o.accountSid, o.authToken, {
    httpClient: new RedirectingClient({ timeout: o.timeoutMs ?? 10_000, autoRetry: true, maxRetries: 3 }),
  });
};
