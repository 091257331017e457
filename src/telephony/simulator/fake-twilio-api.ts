import { createFaultQueue, type FakeFault, type HeldRequest } from '../../shared/fake-api-faults.js';
import { readRequestBody } from '../../shared/read-request-body.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AsyncLog } from './async-log.js';
import { placeCall, type CallResult, type PlaceCallOptions } from './call-player.js';
import { updateCall } from './call-updates.js';
import { createCarrierNetwork, type CarrierNetwork } from './carrier-network.js';
import { createCarrierInbox, type CarrierInbox } from './carrier-inbox.js';
import { createCarrierOptOuts, type CarrierOptOuts } from './carrier-opt-outs.js';
import { playFakeCall, type CallAnswerHook } from './fake-call-runner.js';
import {
  callJson,
  errorBody,
  messageJson,
  messagePage,
  parseForm,
  validateCall,
  validateMessage,
  type FakeCall,
  type FakeMessage,
  type FakeTwilioError,
  type FormParams,
} from './fake-rest-resources.js';
import { newSid } from './sids.js';
import { createPhoneRegistry, type PhoneRegistry } from './remote-phones.js';
import { handleSimulatorRequest, SIMULATOR_PREFIX } from './simulator-routes.js';
import { createWebhookClient, type WebhookExchange } from './webhook-client.js';
import type { WebhookTarget } from './webhook-target.js';

/** A message create the carrier refused: what was asked, and Twilio's error. */
export type RefusedMessage = { from: string | null; to: string; body: string; error: FakeTwilioError };

/** Final delivery state a test wants for a message (default `delivered`). */
export type MessageOutcome = { status: 'delivered' | 'undelivered' | 'failed'; errorCode?: number };

/** Options of {@link startFakeTwilioApi}. */
export type FakeTwilioApiOptions = {
  accountSid: string;
  authToken: string;
  /** Where status callbacks and call webhooks go, and how they are signed (the gateway). */
  webhooks: Omit<WebhookTarget, 'accountSid' | 'authToken'>;
  /** Listen address (default 127.0.0.1) and port (default 0: any free port). */
  host?: string;
  port?: number;
  /** Time source for resource dates (default: system time). */
  now?: () => Date;
};

/** The running fake: its URL, what it recorded, and the hooks tests set. */
export type FakeTwilioApi = {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Messages created, in order; `messages.next({ to })` awaits the next one. */
  readonly messages: AsyncLog<FakeMessage>;
  /** Message creates refused with a Twilio error (21610 after STOP, a bad number...), in order. */
  readonly refusedMessages: AsyncLog<RefusedMessage>;
  /** Calls created, in order. */
  readonly calls: AsyncLog<FakeCall>;
  /** Finished call plays, by call SID. */
  readonly callResults: AsyncLog<CallResult & { sid: string }>;
  /** Every status callback the fake posted (conference and asynchronous AMD callbacks included) and the gateway's answer. */
  readonly callbacks: WebhookExchange[];
  /** The carrier's conferences and live calls, shared by the calls it creates and those placed with `placeCall`. */
  readonly network: CarrierNetwork;
  /** Places a call to the gateway on this carrier: it meets the created calls in conferences and the Calls API can update it. */
  placeCall: (options: PlaceCallOptions) => Promise<CallResult>;
  /**
   * Decides how a created call is answered and who the callee is (default: answered, silent; with
   * `MachineDetection`, by a `human` unless it says `answeredBy`, see answering-machine.ts). A number
   * with a softphone registered (`POST /simulator/phones`) rings that phone instead.
   */
  onCall: CallAnswerHook;
  /** The softphones registered with this carrier. */
  readonly phones: PhoneRegistry;
  /** Decides how a message ends (default: delivered). */
  messageOutcome: (message: FakeMessage) => MessageOutcome;
  /**
   * Twilio's per-sender opt-out list: texts to `POST /simulator/inbound` saying
   * STOP block creates from that number to the sender with 21610, until START.
   */
  readonly optOuts: CarrierOptOuts;
  /** The outbound texts by recipient behind a cursor, as `GET /simulator/messages` serves them. */
  readonly inbox: CarrierInbox;
  /** Lets a test refuse a create request with a Twilio error (e.g. 21610 unsubscribed, 20429 too many requests). */
  beforeCreate: (kind: 'message' | 'call', params: FormParams) => FakeTwilioError | undefined;
  /** Queues a fault for the next REST request(s): dropped, slow, a 5xx, or held (see FakeFault). */
  failNext: (f: FakeFault) => void;
  /** Drops every queued fault. */
  clearFaults: () => void;
  /** Holds the next REST request before or after its work, until released. */
  holdNext: (o: { when: 'before' | 'after' }) => HeldRequest;
  /** Resolves when every status callback and call play started so far has finished. */
  idle: () => Promise<void>;
  close: () => Promise<void>;
};

const send = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'twilio-request-id': newSid('PK').replace(/^PK/, 'RQ') });
  res.end(JSON.stringify(body));
};
const fail = (res: ServerResponse, e: FakeTwilioError): void => send(res, e.status, errorBody(e));

const ROUTE = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)(?:\/([^/]+))?\.json$/;

/**
 * Starts a loopback stand-in for Twilio's REST API (`Messages.json`,
 * `Calls.json`, GET of one of each, and updates of a call: redirect, hang up,
 * cancel), checking HTTP basic auth, answering Twilio's JSON and error shapes,
 * then posting signed status callbacks (queued → sent → delivered) and playing
 * created calls against their `Url`, in conferences shared with `placeCall`'s calls.
 */
export const startFakeTwilioApi = async (options: FakeTwilioApiOptions): Promise<FakeTwilioApi> => {
  const now = options.now ?? (() => new Date());
  const target: WebhookTarget = { ...options.webhooks, accountSid: options.accountSid, authToken: options.authToken };
  const callbackClient = createWebhookClient(target);
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    const tracked = p.catch(() => undefined).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };
  const faults = createFaultQueue();
  const expectedAuth = 'Basic ' + Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64');
  const network = createCarrierNetwork({ accountSid: options.accountSid, now, send: (url, params, method) => callbackClient.send(url, params, { method }) });

  const fake: FakeTwilioApi = {
    url: '',
    accountSid: options.accountSid,
    authToken: options.authToken,
    messages: new AsyncLog<FakeMessage>(),
    refusedMessages: new AsyncLog<RefusedMessage>(),
    optOuts: createCarrierOptOuts(),
    inbox: createCarrierInbox(now),
    calls: new AsyncLog<FakeCall>(),
    callResults: new AsyncLog<CallResult & { sid: string }>(),
    callbacks: callbackClient.transcript,
    network,
    phones: createPhoneRegistry(),
    placeCall: (o) => placeCall(target, { ...o, network }),
    onCall: () => ({}),
    messageOutcome: () => ({ status: 'delivered' }),
    beforeCreate: () => undefined,
    failNext: faults.failNext,
    clearFaults: faults.clear,
    holdNext: faults.holdNext,
    idle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: () => {
      // why: a long-polling inbox reader would otherwise hold server.close() for up to 30 s.
      fake.inbox.close();
      fake.phones.closeAll();
      return new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };

  const progressMessage = async (m: FakeMessage): Promise<void> => {
    const outcome = fake.messageOutcome(m);
    const steps = outcome.status === 'failed' ? ['queued', 'failed'] : ['queued', 'sent', outcome.status];
    for (const status of steps) {
      m.status = status;
      m.dateUpdated = now();
      if (status === 'failed' || status === 'undelivered') m.errorCode = outcome.errorCode ?? 30003;
      fake.inbox.track(m);
      if (m.statusCallback === null) continue;
      await callbackClient.send(m.statusCallback, {
        AccountSid: m.accountSid,
        ApiVersion: '2010-04-01',
        ...(m.from !== null ? { From: m.from } : {}),
        To: m.to,
        MessageSid: m.sid,
        SmsSid: m.sid,
        SmsStatus: status,
        MessageStatus: status,
        ...(m.messagingServiceSid !== null ? { MessagingServiceSid: m.messagingServiceSid } : {}),
        ...(m.errorCode !== null ? { ErrorCode: String(m.errorCode) } : {}),
      });
    }
  };

  const createMessage = (p: FormParams): FakeTwilioError | { status: 201; body: unknown } => {
    const problem = fake.beforeCreate('message', p) ?? validateMessage(p) ?? fake.optOuts.refusal(p.get('From'), p.get('To'));
    if (problem) {
      const refused: RefusedMessage = { from: p.get('From') ?? null, to: p.get('To') ?? '', body: p.get('Body') ?? '', error: problem };
      fake.inbox.refused(refused, problem);
      fake.refusedMessages.push(refused);
      return problem;
    }
    const at = now();
    const m: FakeMessage = {
      sid: newSid('SM'),
      accountSid: options.accountSid,
      from: p.get('From') ?? null,
      to: p.get('To') ?? '',
      body: p.get('Body') ?? '',
      mediaUrls: p.all('MediaUrl'),
      messagingServiceSid: p.get('MessagingServiceSid') ?? null,
      statusCallback: p.get('StatusCallback') ?? null,
      status: p.get('From') ? 'queued' : 'accepted',
      errorCode: null,
      dateCreated: at,
      dateUpdated: at,
      params: p.raw,
    };
    // why: the answer shows the resource as created, before its progress starts moving it on.
    const body = messageJson(m);
    fake.messages.push(m);
    fake.inbox.track(m);
    track(progressMessage(m));
    return { status: 201, body };
  };

  const createCall = (p: FormParams): FakeTwilioError | { status: 201; body: unknown } => {
    const problem = fake.beforeCreate('call', p) ?? validateCall(p);
    if (problem) return problem;
    const at = now();
    const c: FakeCall = {
      sid: newSid('CA'),
      accountSid: options.accountSid,
      from: p.get('From') ?? '',
      to: p.get('To') ?? '',
      url: p.get('Url') ?? null,
      twiml: p.get('Twiml') ?? null,
      statusCallback: p.get('StatusCallback') ?? null,
      status: 'queued',
      answeredBy: null,
      duration: null,
      dateCreated: at,
      dateUpdated: at,
      startTime: null,
      endTime: null,
      params: p.raw,
    };
    const body = callJson(c);
    fake.calls.push(c);
    network.calls.set(c.sid, { record: c });
    const phone = fake.phones.byNumber(c.to);
    const hook: CallAnswerHook = phone ? (call) => phone.ring(call) : fake.onCall;
    track(
      playFakeCall({ call: c, params: p, target, hook, now, network }).then((result) => {
        phone?.ended(c.sid, result.finalStatus, result.endReason);
        // why: status callbacks and asynchronous AMD results are callbacks; the call's own TwiML requests are not.
        fake.callbacks.push(...result.transcript.filter((t) => t.params.CallbackSource === 'call-progress-events' || t.params.MachineDetectionDuration !== undefined));
        fake.callResults.push({ ...result, sid: c.sid });
      }),
    );
    return { status: 201, body };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith(SIMULATOR_PREFIX)) {
      if (req.headers.authorization !== expectedAuth) return fail(res, { status: 401, code: 20003, message: 'Authenticate' });
      return handleSimulatorRequest(req, res, path, { optOuts: fake.optOuts, inbox: fake.inbox, target, phones: fake.phones, placeCall: fake.placeCall });
    }
    const m = ROUTE.exec(path);
    if (!m) return fail(res, { status: 404, code: 20404, message: `The requested resource ${path} was not found` });
    if (req.headers.authorization !== expectedAuth || m[1] !== options.accountSid) {
      return fail(res, { status: 401, code: 20003, message: 'Authenticate' });
    }
    const [, , kind, sid] = m;
    const fault = faults.take();
    const refuse = (status: number) => fail(res, { status, code: 20500, message: 'Service unavailable (simulated outage)' });
    if (await faults.before(fault, req, res, refuse)) return;
    if (req.method === 'POST' && sid === undefined) {
      const params = parseForm(await readRequestBody(req));
      const made = kind === 'Messages' ? createMessage(params) : createCall(params);
      if (!('body' in made)) return fail(res, made);
      if (await faults.after(fault, req, res)) return;
      return send(res, made.status, made.body);
    }
    if (req.method === 'GET' && sid === undefined && kind === 'Messages') {
      return send(res, 200, messagePage(fake.messages.entries, new URL(req.url ?? '/', 'http://fake').searchParams, path));
    }
    if (req.method === 'GET' && sid !== undefined) {
      const found = kind === 'Messages' ? fake.messages.entries.find((x) => x.sid === sid) : network.calls.get(sid)?.record;
      if (!found) return fail(res, { status: 404, code: 20404, message: `The requested resource ${path} was not found` });
      return send(res, 200, 'body' in found ? messageJson(found) : callJson(found));
    }
    if (req.method === 'POST' && sid !== undefined && kind === 'Calls') {
      const updated = updateCall(network, sid, parseForm(await readRequestBody(req)), path);
      if (!('body' in updated)) return fail(res, updated);
      if (await faults.after(fault, req, res)) return;
      return send(res, updated.status, updated.body);
    }
    return fail(res, { status: 405, code: 20004, message: 'Method not allowed' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => fail(res, { status: 500, code: 20500, message: `Internal Server Error: ${String(e)}` }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { address, port } = server.address() as AddressInfo;
  (fake as { url: string }).url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return fake;
};
