import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../../shared/read-request-body.js';
import type { CarrierInbox } from './carrier-inbox.js';
import type { CarrierOptOuts } from './carrier-opt-outs.js';
import { errorBody, isValidAddress, type FakeTwilioError } from './fake-rest-resources.js';
import type { CarrierKeyword } from './opt-out-keywords.js';
import { handlePhoneRequest, type PhoneRouteDeps } from './phone-routes.js';
import { sendSms, type SmsReply } from './sms-sender.js';
import type { WebhookTarget } from './webhook-target.js';

/** Path prefix of the simulator's own endpoints; Twilio's REST paths all start with a version (`/2010-04-01/`). */
export const SIMULATOR_PREFIX = '/simulator/';

/** The longest a `GET /simulator/messages?wait=` holds the request. */
export const MAX_INBOX_WAIT_MS = 30_000;

/** What `POST /simulator/inbound` answers (HTTP 200 whenever the carrier took the text). */
export type InboundAnswer = {
  messageSid: string;
  /** What the carrier made of the text: `opt-out` blocked (to, from), `opt-in` lifted it. */
  keyword: CarrierKeyword;
  /** The inbox cursor just before the text reached the gateway: texts it sends back come after it. */
  cursor: number;
  /** Where the carrier delivered the text. */
  gatewayUrl: string;
  replies: SmsReply[];
  /** The gateway could not be reached at all (network error or timeout). */
  unreachable?: string;
  /** The gateway answered, but not usable TwiML (e.g. HTTP 500). */
  error?: string;
};

/** What the simulator endpoints work with: the carrier's state and the gateway it delivers to. */
export type SimulatorRouteDeps = { optOuts: CarrierOptOuts; inbox: CarrierInbox; target: WebhookTarget } & PhoneRouteDeps;

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const bad = (message: string): FakeTwilioError => ({ status: 400, code: 21000, message });

const parseInbound = (text: string): { from: string; to: string; body: string } | FakeTwilioError => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return bad('The body must be JSON: {"from": "+1...", "to": "+1...", "body": "..."}');
  }
  const { from, to, body } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof from !== 'string' || !isValidAddress(from)) return bad(`'from' must be an E.164 number, got ${JSON.stringify(from)}`);
  if (typeof to !== 'string' || !isValidAddress(to)) return bad(`'to' must be an E.164 number, got ${JSON.stringify(to)}`);
  if (typeof body !== 'string') return bad("'body' must be a string");
  return { from, to, body };
};

const inbound = async (req: IncomingMessage, res: ServerResponse, deps: SimulatorRouteDeps): Promise<void> => {
  const text = parseInbound(await readRequestBody(req));
  if ('code' in text) return json(res, text.status, errorBody(text));
  // why: Twilio records the opt-out before, and whatever, the webhook answers: it holds even when the gateway is down.
  const keyword = deps.optOuts.record(text);
  const cursor = deps.inbox.cursor();
  const result = await sendSms(deps.target, text);
  const answer: InboundAnswer = {
    messageSid: result.messageSid,
    keyword,
    cursor,
    gatewayUrl: deps.target.gatewayUrl,
    replies: result.replies,
    ...(result.exchange.error !== undefined ? { unreachable: result.exchange.error } : result.error !== undefined ? { error: result.error } : {}),
  };
  json(res, 200, answer);
};

const messages = async (req: IncomingMessage, res: ServerResponse, deps: SimulatorRouteDeps): Promise<void> => {
  const q = new URL(req.url ?? '/', 'http://simulator').searchParams;
  const number = q.get('number') ?? '';
  if (!isValidAddress(number)) return json(res, 400, errorBody(bad("'number' must be an E.164 number, e.g. ?number=%2B12025550143")));
  const after = Number(q.get('after') ?? 0);
  const waitMs = Math.min(Math.max(Number(q.get('wait') ?? 0) || 0, 0), MAX_INBOX_WAIT_MS);
  if (!Number.isInteger(after) || after < 0) return json(res, 400, errorBody(bad("'after' must be a cursor from an earlier answer")));
  // why: a reader that gives up (Ctrl-C) must not hold a waiter until the timeout.
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  const page = await deps.inbox.wait(number, after, waitMs, gone.signal);
  // why: server.close() only closes connections idle at that moment; a poll it woke must not keep its own open.
  if (deps.inbox.closed) res.setHeader('connection', 'close');
  if (!res.writableEnded && !res.destroyed) json(res, 200, page);
};

/**
 * The simulator's own endpoints, beside the fake REST API (same server, same basic auth):
 * `POST /simulator/inbound` {from, to, body} texts the gateway through the carrier (opt-out
 * keywords recorded first, then the signed webhook), and `GET /simulator/messages?number=&after=&wait=`
 * lists what the gateway texted that number after a cursor, holding the request up to `wait` ms
 * (at most 30 s) until something arrives; the softphones' phones and calls (phone-routes.ts).
 */
export const handleSimulatorRequest = async (req: IncomingMessage, res: ServerResponse, path: string, deps: SimulatorRouteDeps): Promise<void> => {
  const route = path.slice(SIMULATOR_PREFIX.length);
  if (route === 'inbound' && req.method === 'POST') return inbound(req, res, deps);
  if (route === 'messages' && req.method === 'GET') return messages(req, res, deps);
  if (await handlePhoneRequest(req, res, route, deps)) return;
  const known = route === 'inbound' || route === 'messages';
  json(res, known ? 405 : 404, errorBody(known ? { status: 405, code: 20004, message: 'Method not allowed' } : { status: 404, code: 20404, message: `The requested resource ${path} was not found` }));
};
