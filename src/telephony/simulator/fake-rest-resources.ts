import { toRfc2822 } from './rfc2822.js';
import { countSegments } from '../count-segments.js';

/** A Twilio REST error as the API answers it (and as the SDK's `RestException` reads it). */
export type FakeTwilioError = { status: number; code: number; message: string };

/** The JSON body Twilio sends with a 4xx/5xx. */
export const errorBody = (e: FakeTwilioError) => ({
  code: e.code,
  message: e.message,
  more_info: `https://www.twilio.com/docs/errors/${e.code}`,
  status: e.status,
});

/** Form parameters of a REST request; repeated keys (MediaUrl, StatusCallbackEvent) keep every value. */
export type FormParams = { get: (k: string) => string | undefined; all: (k: string) => string[]; raw: Record<string, string[]> };

/** Parses an `application/x-www-form-urlencoded` body. */
export const parseForm = (body: string): FormParams => {
  const raw: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) (raw[k] ??= []).push(v);
  return { raw, get: (k) => raw[k]?.[0], all: (k) => raw[k] ?? [] };
};

const E164 = /^\+[1-9]\d{6,14}$/;
/** Whether Twilio would accept `value` as a phone address (E.164, optionally `whatsapp:`, or `client:`). */
export const isValidAddress = (value: string): boolean => E164.test(value.replace(/^whatsapp:/, '')) || /^client:\w+/.test(value);

const err = (status: number, code: number, message: string): FakeTwilioError => ({ status, code, message });

/** Validates a Messages create request; `undefined` when acceptable. */
export const validateMessage = (p: FormParams): FakeTwilioError | undefined => {
  const to = p.get('To');
  if (!to) return err(400, 21604, "A 'To' phone number is required.");
  if (!isValidAddress(to)) return err(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
  if (!p.get('From') && !p.get('MessagingServiceSid')) return err(400, 21603, "A 'From' phone number is required.");
  if (!p.get('Body') && p.all('MediaUrl').length === 0 && !p.get('ContentSid')) return err(400, 21602, 'Message body is required.');
  if ((p.get('Body') ?? '').length > 1600) return err(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  return undefined;
};

/** Validates a Calls create request; `undefined` when acceptable. */
export const validateCall = (p: FormParams): FakeTwilioError | undefined => {
  const to = p.get('To');
  if (!to) return err(400, 21201, "No 'To' number is specified");
  if (!isValidAddress(to)) return err(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  if (!p.get('From')) return err(400, 21213, "No 'From' number is specified");
  if (!p.get('Url') && !p.get('Twiml') && !p.get('ApplicationSid')) return err(400, 21205, 'Url parameter is required.');
  return undefined;
};

/** A message the fake accepted. `status` moves queued → sent → delivered (or undelivered/failed). */
export type FakeMessage = {
  sid: string;
  accountSid: string;
  from: string | null;
  to: string;
  body: string;
  mediaUrls: string[];
  messagingServiceSid: string | null;
  statusCallback: string | null;
  status: string;
  errorCode: number | null;
  dateCreated: Date;
  dateUpdated: Date;
  /** Every form parameter the SDK sent. */
  params: Record<string, string[]>;
};

/** A message in Twilio's JSON shape. */
export const messageJson = (m: FakeMessage) => {
  const uri = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: toRfc2822(m.dateCreated),
    date_sent: m.status === 'queued' || m.status === 'accepted' ? null : toRfc2822(m.dateUpdated),
    date_updated: toRfc2822(m.dateUpdated),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: String(m.mediaUrls.length),
    num_segments: String(countSegments(m.body).segments),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
    to: m.to,
    uri,
  };
};

/**
 * One page of the Messages list (GET Messages.json), newest first, filtered by To and From as
 * Twilio filters them; PageSize (default 50, at most 1000) bounds it. One page only: no next page.
 */
export const messagePage = (all: readonly FakeMessage[], q: URLSearchParams, path: string) => {
  const size = Math.min(Math.max(Number(q.get('PageSize') ?? 50) || 50, 1), 1000);
  const to = q.get('To');
  const from = q.get('From');
  const hits = all
    .filter((m) => (to === null || m.to === to) && (from === null || m.from === from))
    .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime())
    .slice(0, size);
  const uri = `${path}?${q.toString()}`;
  return {
    messages: hits.map(messageJson),
    end: Math.max(hits.length - 1, 0), first_page_uri: uri, next_page_uri: null, page: 0, page_size: size,
    previous_page_uri: null, start: 0, uri,
  };
};

/** A call the fake created. */
export type FakeCall = {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  url: string | null;
  twiml: string | null;
  statusCallback: string | null;
  status: string;
  answeredBy: string | null;
  duration: number | null;
  dateCreated: Date;
  dateUpdated: Date;
  startTime: Date | null;
  endTime: Date | null;
  params: Record<string, string[]>;
  /** Default `outbound-api` (a call the REST API created); `inbound` for a call placed to the gateway through the carrier. */
  direction?: 'inbound' | 'outbound-api' | 'outbound-dial';
};

/** A call in Twilio's JSON shape. */
export const callJson = (c: FakeCall) => {
  const uri = `/2010-04-01/Accounts/${c.accountSid}/Calls/${c.sid}.json`;
  const base = uri.replace(/\.json$/, '');
  return {
    account_sid: c.accountSid,
    annotation: null,
    answered_by: c.answeredBy,
    api_version: '2010-04-01',
    caller_name: null,
    date_created: toRfc2822(c.dateCreated),
    date_updated: toRfc2822(c.dateUpdated),
    direction: c.direction ?? 'outbound-api',
    duration: c.duration === null ? null : String(c.duration),
    end_time: c.endTime ? toRfc2822(c.endTime) : null,
    forwarded_from: null,
    from: c.from,
    from_formatted: c.from,
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: null,
    price: null,
    price_unit: 'USD',
    queue_time: '0',
    sid: c.sid,
    start_time: c.startTime ? toRfc2822(c.startTime) : null,
    status: c.status,
    subresource_uris: {
      notifications: `${base}/Notifications.json`,
      recordings: `${base}/Recordings.json`,
      payments: `${base}/Payments.json`,
      events: `${base}/Events.json`,
    },
    to: c.to,
    to_formatted: c.to,
    trunk_sid: null,
    uri,
  };
};
