import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { newIdempotencyToken } from './sids.js';
import { deliveryUrlFor, publicUrlFor, type WebhookTarget } from './webhook-target.js';

/** Form parameters of one webhook, in the order they are sent. */
export type WebhookParams = Record<string, string>;

/** One webhook request the simulator made and what the gateway answered. */
export type WebhookExchange = {
  /** Position in the transcript, from 0. */
  seq: number;
  method: 'GET' | 'POST';
  /** The public URL that was signed (what Twilio believes it called). */
  url: string;
  /** The address the request was really sent to. */
  postedTo: string;
  params: WebhookParams;
  /** Headers sent, including `X-Twilio-Signature` and `I-Twilio-Idempotency-Token`. */
  headers: Record<string, string>;
  /** HTTP status of the answer; absent when the request failed before an answer. */
  status?: number;
  contentType?: string;
  body?: string;
  /** Network or timeout failure, e.g. `connect ECONNREFUSED 127.0.0.1:3000`. */
  error?: string;
  /** `seq` of the original exchange when this one is a retry. */
  retryOf?: number;
};

/** Options for one webhook request. */
export type SendOptions = { method?: 'GET' | 'POST'; idempotencyToken?: string };

/**
 * Signs and sends Twilio-style webhooks, recording every exchange in `transcript`.
 */
export type WebhookClient = {
  readonly target: WebhookTarget;
  readonly transcript: WebhookExchange[];
  /** Sends `params` to a gateway path or absolute public URL. */
  send: (pathOrUrl: string, params: WebhookParams, options?: SendOptions) => Promise<WebhookExchange>;
  /** Re-sends a recorded request byte for byte (same signature and idempotency token), like a Twilio retry. */
  resend: (exchange: WebhookExchange) => Promise<WebhookExchange>;
  /** Re-sends the most recent exchange; throws when nothing was sent yet. */
  resendLast: () => Promise<WebhookExchange>;
};

/** Signs `params` for `url` exactly as Twilio does. */
export const signWebhook = (authToken: string, url: string, params: WebhookParams): string =>
  getExpectedTwilioSignature(authToken, url, params);

const describeError = (err: unknown): string => {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out waiting for the gateway';
    return err.message;
  }
  return String(err);
};

/** Creates a webhook client for one target (one call or one conversation). */
export const createWebhookClient = (target: WebhookTarget): WebhookClient => {
  const transcript: WebhookExchange[] = [];
  const doFetch = target.fetch ?? fetch;
  const timeoutMs = target.timeoutMs ?? 15_000;

  const perform = async (draft: Omit<WebhookExchange, 'seq'>): Promise<WebhookExchange> => {
    const exchange: WebhookExchange = { ...draft, seq: transcript.length };
    transcript.push(exchange);
    const form = new URLSearchParams(exchange.params).toString();
    const isGet = exchange.method === 'GET';
    try {
      const res = await doFetch(exchange.postedTo, {
        method: exchange.method,
        headers: exchange.headers,
        body: isGet ? undefined : form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      exchange.status = res.status;
      exchange.contentType = res.headers.get('content-type') ?? undefined;
      exchange.body = await res.text();
    } catch (err) {
      exchange.error = describeError(err);
    }
    return exchange;
  };

  const send: WebhookClient['send'] = (pathOrUrl, params, options = {}) => {
    const method = options.method ?? 'POST';
    let url = publicUrlFor(target, pathOrUrl);
    let signedParams = params;
    if (method === 'GET') {
      // Twilio puts GET parameters in the query string and signs the full URL alone.
      const u = new URL(url);
      for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
      url = u.toString();
      signedParams = {};
    }
    const headers: Record<string, string> = {
      'user-agent': 'TwilioProxy/1.1',
      'x-twilio-signature': signWebhook(target.authToken, url, signedParams),
      'i-twilio-idempotency-token': options.idempotencyToken ?? newIdempotencyToken(),
    };
    if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    return perform({ method, url, postedTo: deliveryUrlFor(target, url), params: { ...params }, headers });
  };

  const resend: WebhookClient['resend'] = (exchange) =>
    perform({
      method: exchange.method,
      url: exchange.url,
      postedTo: exchange.postedTo,
      params: { ...exchange.params },
      headers: { ...exchange.headers },
      retryOf: exchange.retryOf ?? exchange.seq,
    });

  const resendLast: WebhookClient['resendLast'] = () => {
    const last = transcript.at(-1);
    if (!last) return Promise.reject(new Error('No webhook has been sent yet.'));
    return resend(last);
  };

  return { target, transcript, send, resend, resendLast };
};
