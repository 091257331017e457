import fc from 'fast-check';
import type { DeclaredRoute } from '../../src/shared/webhook-edge/route-input.js';
import { TEST_ACCOUNT_SID } from '../support/build-test-app.js';
import { KNOWN_CALLERS, type FuzzTarget } from './fuzz-target.js';
import { hostileJsonValue, hostileString, malformedForm, malformedJson, PLANTED_CARDS } from './hostile-values.js';
import { fieldsOf, validArb, type FieldHints } from './zod-arbitrary.js';

/** One request the suite sends: where, what, and how it is authenticated. */
export type FuzzCase = {
  method: string;
  url: string;
  body: { kind: 'form'; fields: [string, string][] } | { kind: 'json'; value: unknown } | { kind: 'raw'; contentType: string; text: string } | null;
  auth: 'valid' | 'missing' | 'wrong' | 'other-role';
  /** What was done to a valid request, for the failure message. */
  note: string;
};

const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
const pool = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(32, 'f')}`);

/** Values that take requests deep into the flows: a few calls and threads reused across cases, callers we know. */
const hints = (target: FuzzTarget): FieldHints => ({
  CallSid: fc.oneof(fc.constantFrom(...pool('CA', 6)), hex32.map((h) => `CA${h}`)),
  MessageSid: fc.oneof(fc.constantFrom(...pool('SM', 6)), hex32.map((h) => `SM${h}`)),
  AccountSid: fc.constant(TEST_ACCOUNT_SID),
  From: fc.oneof(fc.constantFrom(...KNOWN_CALLERS), fc.constantFrom('+12025550999', 'anonymous', 'client:agent', '')),
  To: fc.constant('+18005550100'),
  Digits: fc.constantFrom('1', '2', '3', '8', '9', '0', '*', '#', '11', '12', '123456', 'FZ-0', PLANTED_CARDS[0]!, ''),
  SpeechResult: fc.constantFrom('pay', 'agent', 'yes', 'no', 'cancel', 'my card is 4111 1111 1111 1111', ''),
  Body: fc.constantFrom('HELP', 'STOP', 'START', 'PAY', 'BAL', 'CANCEL POLICY', 'hola', `card ${PLANTED_CARDS[1]}`, ''),
  step: fc.integer({ min: 1, max: 8 }),
  policy: fc.oneof(fc.constantFrom(...target.policyNumbers), fc.string({ maxLength: 12 })),
  policyNumber: fc.oneof(fc.constantFrom(...target.policyNumbers), fc.string({ minLength: 1, maxLength: 12 })),
  phone: fc.constantFrom(...KNOWN_CALLERS),
  from: fc.constantFrom('2026-11-01', '2026-12-01T00:00:00Z', '2026-12-03'),
  to: fc.constantFrom('2026-12-31', '2027-01-01T00:00:00Z'),
  // Known, unknown and odd policy numbers, some listed twice: batches that queue and reject.
  // The specialist the suite's specialist token speaks for, or another (an availability change reaches both paths).
  id: fc.oneof(fc.constant(target.specialistId), fc.uuid()),
  // New specialists the registry accepts, mostly: languages, zones and hours it knows, and a few it refuses.
  languages: fc.constantFrom(['en-US'], ['es-US', 'en-US'], ['es-US'], ['fr-FR'], []),
  timeZone: fc.constantFrom('America/Chicago', 'America/New_York', 'Pacific/Honolulu', 'Mars/Olympus'),
  workingHours: fc.constantFrom(null, { mon: [['09:00', '17:00']], sat: [['00:00', '24:00']] }, { sun: [['22:00', '06:00']] }),
  policyNumbers: fc.array(fc.oneof(fc.constantFrom(...target.policyNumbers), fc.constantFrom('ZZ-OTHER-1', 'FZ-9'), fc.string({ minLength: 1, maxLength: 12 })), { minLength: 1, maxLength: 5 }),
});

type Fields = Record<string, unknown>;
type Mutation = (f: Fields) => [Fields, string];

/** What is done to a valid request: nothing, a field made hostile, dropped, duplicated, or an unknown field added. */
const mutation = (fields: string[], json: boolean): fc.Arbitrary<Mutation | null> => {
  const name = fields.length ? fc.constantFrom(...fields) : fc.constant('x');
  const value = json ? hostileJsonValue : hostileString;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 4, arbitrary: fc.tuple(name, value).map(([k, v]): Mutation => (f) => [{ ...f, [k]: v }, `${k} := ${JSON.stringify(v)?.slice(0, 60)}`]) },
    { weight: 1, arbitrary: name.map((k): Mutation => (f) => { const { [k]: _, ...rest } = f; return [rest, `without ${k}`]; }) },
    { weight: 1, arbitrary: fc.tuple(name, value).map(([k, v]): Mutation => (f) => [{ ...f, [k]: [f[k] ?? '', v] }, `${k} twice`]) },
    { weight: 1, arbitrary: fc.tuple(hostileString, value).map(([k, v]): Mutation => (f) => [{ ...f, [k.slice(0, 200)]: v }, `extra field ${JSON.stringify(k).slice(0, 40)}`]) },
  );
};

const asText = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const formFields = (f: Fields): [string, string][] =>
  Object.entries(f).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, asText(x)]) : [[k, asText(v)] as [string, string]]));

const fillPath = (url: string, params: Fields): string =>
  url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(asText(params[name] ?? 'x').toWellFormed()));

/** Requests for one route: mostly valid or one-field-mutated, some malformed encodings, with and without valid authentication. */
export const casesFor = (route: DeclaredRoute, target: FuzzTarget): fc.Arbitrary<FuzzCase> => {
  const h = hints(target);
  const { input } = route;
  const tokenAuth = ['compliance-token', 'operator-token', 'staff-token', 'specialist-token'].includes(input.auth);
  const json = input.auth === 'stripe' || tokenAuth;
  const obj = (s: typeof input.body) => (s ? validArb(s, h) : fc.constant({})).map((v) => (v && typeof v === 'object' ? v as Fields : {}));
  const auth = input.auth === 'public'
    ? fc.constant<FuzzCase['auth']>('valid')
    : fc.oneof(
      { weight: 8, arbitrary: fc.constant<FuzzCase['auth']>('valid') },
      { weight: 1, arbitrary: fc.constantFrom<FuzzCase['auth']>('missing', 'wrong', ...(tokenAuth || input.auth === 'console-session' ? ['other-role' as const] : [])) },
    );
  return fc.record({
    params: obj(input.params), paramsMutation: mutation(fieldsOf(input.params), false),
    query: obj(input.query), queryMutation: mutation(fieldsOf(input.query), false),
    body: obj(input.body), bodyMutation: mutation(fieldsOf(input.body), json),
    raw: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: json ? malformedJson : malformedForm }),
    auth,
  }).map((r): FuzzCase => {
    const notes: string[] = [];
    const apply = (f: Fields, m: Mutation | null, where: string) => {
      if (!m) return f;
      const [out, note] = m(f);
      notes.push(`${where}: ${note}`);
      return out;
    };
    const params = apply(r.params, r.paramsMutation, 'params');
    const query = apply(r.query, r.queryMutation, 'query');
    const qs = new URLSearchParams(formFields(query)).toString();
    const url = `${fillPath(route.url, params)}${qs ? `?${qs}` : ''}`;
    const withBody = route.method === 'POST' || route.method === 'PUT';
    let body: FuzzCase['body'] = null;
    if (withBody && r.raw !== null) {
      body = { kind: 'raw', contentType: json ? 'application/json' : 'application/x-www-form-urlencoded', text: r.raw };
      notes.push(`raw body ${JSON.stringify(r.raw).slice(0, 40)}`);
    } else if (withBody) {
      const fields = apply(r.body, r.bodyMutation, 'body');
      body = json ? { kind: 'json', value: input.auth === 'stripe' ? stripeEvent(fields) : fields } : { kind: 'form', fields: formFields(fields) };
    }
    if (r.auth !== 'valid') notes.push(`auth ${r.auth}`);
    return { method: route.method, url, body, auth: r.auth, note: notes.join('; ') || 'valid' };
  });
};

/** A Stripe event around the generated fields (the SDK needs an object with an id and a type). */
const stripeEvent = (f: Fields): unknown => ({ object: 'event', api_version: '2025-01-01', livemode: false, ...f });
