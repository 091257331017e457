import { newSid } from './sids.js';
import { countSegments } from '../count-segments.js';
import { parseTwiml, type TwimlNode } from './twiml-document.js';
import { createWebhookClient, type WebhookClient, type WebhookExchange, type WebhookParams } from './webhook-client.js';
import type { WebhookTarget } from './webhook-target.js';

/** Options of {@link sendSms}. */
export type SendSmsOptions = {
  from: string;
  to: string;
  body: string;
  /** Default: a fresh `SM…` SID. */
  messageSid?: string;
  /** Media URLs (MMS); sets `NumMedia` and `MediaUrl0…`. */
  mediaUrls?: string[];
  /** Messaging webhook path or absolute public URL (default `/twilio/sms`). */
  url?: string;
  /** Extra parameters (e.g. `MessagingServiceSid`, `FromCountry`). */
  extraParams?: WebhookParams;
  /** Reuse a webhook client (and its transcript). */
  client?: WebhookClient;
};

/** One `<Message>` of the gateway's answer. */
export type SmsReply = { body: string; to?: string; from?: string; action?: string; media: string[] };

/** What the gateway answered to an incoming message. */
export type SmsResult = {
  messageSid: string;
  /** The `<Message>` replies, in order (empty for `<Response/>`). */
  replies: SmsReply[];
  /** URL of a `<Redirect>` in the answer, if any. */
  redirect?: string;
  /** Why the answer could not be used (network error, non-2xx, not TwiML). */
  error?: string;
  exchange: WebhookExchange;
  client: WebhookClient;
};

const replyOf = (node: TwimlNode): SmsReply => {
  const bodyNode = node.children.find((c) => c.name === 'Body');
  const media = node.children.filter((c) => c.name === 'Media').map((c) => c.text);
  return {
    body: bodyNode ? bodyNode.text : node.text,
    media,
    ...(node.attrs.to !== undefined ? { to: node.attrs.to } : {}),
    ...(node.attrs.from !== undefined ? { from: node.attrs.from } : {}),
    ...(node.attrs.action !== undefined ? { action: node.attrs.action } : {}),
  };
};

/**
 * Sends an incoming SMS to the gateway's messaging webhook with Twilio's
 * parameters and parses the `<Response><Message>` replies. Never throws for
 * gateway failures: they are reported in `error`.
 */
export const sendSms = async (target: WebhookTarget, options: SendSmsOptions): Promise<SmsResult> => {
  const client = options.client ?? createWebhookClient(target);
  const messageSid = options.messageSid ?? newSid('SM');
  const media = options.mediaUrls ?? [];
  const params: WebhookParams = {
    ToCountry: 'US',
    SmsMessageSid: messageSid,
    NumMedia: String(media.length),
    SmsSid: messageSid,
    SmsStatus: 'received',
    Body: options.body,
    To: options.to,
    NumSegments: String(countSegments(options.body).segments),
    MessageSid: messageSid,
    AccountSid: target.accountSid,
    From: options.from,
    ApiVersion: '2010-04-01',
    ...options.extraParams,
  };
  media.forEach((url, i) => {
    params[`MediaUrl${i}`] = url;
    params[`MediaContentType${i}`] = 'image/jpeg';
  });
  const exchange = await client.send(options.url ?? '/twilio/sms', params);
  const base = { messageSid, exchange, client };
  if (exchange.error !== undefined) return { ...base, replies: [], error: `request failed: ${exchange.error}` };
  if (exchange.status === undefined || exchange.status < 200 || exchange.status > 299) {
    return { ...base, replies: [], error: `gateway answered HTTP ${exchange.status}` };
  }
  // Twilio accepts an empty 200 answer to a message as "no reply".
  if ((exchange.body ?? '').trim() === '') return { ...base, replies: [] };
  const parsed = parseTwiml(exchange.body ?? '');
  if (!parsed.ok) return { ...base, replies: [], error: `answer is not TwiML: ${parsed.reason}` };
  const redirect = parsed.verbs.find((v) => v.name === 'Redirect');
  return {
    ...base,
    replies: parsed.verbs.filter((v) => v.name === 'Message').map(replyOf),
    ...(redirect ? { redirect: redirect.text } : {}),
  };
};
