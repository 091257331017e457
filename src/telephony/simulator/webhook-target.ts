/**
 * Where the simulator sends webhooks and how it signs them.
 *
 * Twilio signs the URL configured in its console (the gateway's public URL),
 * while tests and the softphone post to wherever the gateway actually listens.
 */
export type WebhookTarget = {
  /** Address the requests are really sent to, e.g. `http://127.0.0.1:3000`. */
  gatewayUrl: string;
  /** Public base URL the gateway validates signatures against, e.g. `https://ivr.example.com`. */
  publicBaseUrl: string;
  /** Auth token used for `X-Twilio-Signature`. */
  authToken: string;
  /** Account SID sent as `AccountSid` (`AC` + 32 hex). */
  accountSid: string;
  /** Injected `fetch` (defaults to the global one). */
  fetch?: typeof fetch;
  /** Per-request timeout in milliseconds (default 15 000, like Twilio's webhook timeout). */
  timeoutMs?: number;
};

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** The public URL for a path (`/twilio/voice`) or an already absolute URL. */
export const publicUrlFor = (target: WebhookTarget, pathOrUrl: string): string =>
  /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : trimSlash(target.publicBaseUrl) + (pathOrUrl.startsWith('/') ? '' : '/') + pathOrUrl;

/**
 * Maps a public URL onto the address really posted to: URLs under the public
 * base URL go to the gateway; any other absolute URL is posted as is.
 */
export const deliveryUrlFor = (target: WebhookTarget, publicUrl: string): string => {
  const base = trimSlash(target.publicBaseUrl);
  if (publicUrl === base || publicUrl.startsWith(base + '/') || publicUrl.startsWith(base + '?')) {
    return trimSlash(target.gatewayUrl) + publicUrl.slice(base.length);
  }
  return publicUrl;
};
