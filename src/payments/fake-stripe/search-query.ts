import { FakeStripeError } from './fake-stripe-store.js';

type Obj = Record<string, unknown>;

type Clause = { negate: boolean; field: string; metadataKey: string | null; op: ':' | '~' | '>' | '<' | '>=' | '<='; value: string | number };

const invalidQuery = (query: string, why: string): FakeStripeError =>
  new FakeStripeError(400, { type: 'invalid_request_error', code: 'parameter_invalid', param: 'query', message: `Invalid search query "${query}": ${why}.` });

// One clause: optional '-', a field (or metadata['key'] / metadata["key"]), an operator, a quoted string or a number.
const CLAUSE = /^\s*(-)?(?:metadata\[(['"])(.+?)\2\]|([a-z_]+))\s*(>=|<=|:|~|>|<)\s*(?:(['"])(.*?)\6|(-?\d+))\s*/;
const CONNECTOR = /^(AND|OR)\s+/;

/**
 * Stripe's search query language as docs.stripe.com/search describes it, for the fields the fake
 * searches: clauses `field:value` (exact), `field~"sub"` (substring, 3+ characters), `field>n`...
 * (numbers), `-clause` (negation), and `metadata["key"]:"value"`, joined by AND or by OR (not both).
 * Anything else is refused with a 400, as Stripe refuses a query it cannot parse.
 */
export const parseSearchQuery = (query: string, fields: readonly string[]): ((o: Obj) => boolean) => {
  const clauses: Clause[] = [];
  const joins = new Set<string>();
  let rest = query.trim();
  if (!rest) throw invalidQuery(query, 'the query is empty');
  while (rest) {
    const m = CLAUSE.exec(rest);
    if (!m) throw invalidQuery(query, `cannot parse "${rest}"`);
    const [, neg, , metaKey, field, op, , quoted, num] = m;
    const name = metaKey !== undefined ? 'metadata' : field!;
    if (!fields.includes(name)) throw invalidQuery(query, `${name} is not a supported query field`);
    if (op === '~' && (quoted === undefined || quoted.length < 3)) throw invalidQuery(query, 'substring matches need a quoted value of 3 or more characters');
    if (op !== ':' && op !== '~' && num === undefined) throw invalidQuery(query, `${op} compares numbers only`);
    clauses.push({ negate: neg === '-', field: name, metadataKey: metaKey ?? null, op: op as Clause['op'], value: quoted ?? Number(num) });
    rest = rest.slice(m[0].length);
    const c = CONNECTOR.exec(rest);
    if (c) {
      joins.add(c[1]!);
      rest = rest.slice(c[0].length);
      if (!rest) throw invalidQuery(query, 'the query ends with a connector');
    } else if (rest) throw invalidQuery(query, `expected AND or OR before "${rest}"`);
  }
  if (joins.size > 1) throw invalidQuery(query, 'AND and OR cannot be combined in one query');
  const test = (c: Clause, o: Obj): boolean => {
    const raw = c.metadataKey !== null ? (o.metadata as Record<string, string> | undefined)?.[c.metadataKey] : o[c.field];
    if (raw === undefined || raw === null) return false;
    if (c.op === ':') return String(raw) === String(c.value);
    if (c.op === '~') return String(raw).includes(String(c.value));
    const n = Number(raw);
    const v = Number(c.value);
    return c.op === '>' ? n > v : c.op === '<' ? n < v : c.op === '>=' ? n >= v : n <= v;
  };
  const any = joins.has('OR');
  return (o) => (any ? clauses.some((c) => test(c, o) !== c.negate) : clauses.every((c) => test(c, o) !== c.negate));
};

/**
 * One page of a search, in Stripe's `search_result` shape: newest first, `limit` 1..100 (default 10),
 * `page` the opaque cursor a previous page gave as `next_page`.
 */
export const searchPage = (matching: readonly Obj[], q: URLSearchParams, url: string): Obj => {
  const limit = Number(q.get('limit') ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new FakeStripeError(400, { type: 'invalid_request_error', code: 'parameter_invalid', param: 'limit', message: 'Limit must be between 1 and 100.' });
  }
  const page = q.get('page');
  const offset = page ? Number(Buffer.from(page, 'base64url').toString('utf8').replace(/^offset:/, '')) : 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new FakeStripeError(400, { type: 'invalid_request_error', code: 'parameter_invalid', param: 'page', message: 'Invalid page cursor.' });
  }
  const newestFirst = [...matching].reverse();
  const hasMore = newestFirst.length > offset + limit;
  return {
    object: 'search_result', url, has_more: hasMore, data: newestFirst.slice(offset, offset + limit).map((o) => structuredClone(o)),
    next_page: hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64url') : null,
  };
};
