import type { FastifyInstance, FastifyRequest } from 'fastify';
import { maskCardsIn } from '../redact.js';

/**
 * Text hygiene where requests enter: a NUL (which Postgres refuses in text
 * and jsonb) or a lone UTF-16 surrogate (not a character at all) never
 * reaches a domain. NUL is dropped, a lone surrogate becomes U+FFFD; what was
 * refused is kept, escaped as `\uXXXX` text, for the webhook's evidence (a
 * malformed webhook is still a fact of the call).
 */

// why: a lone surrogate is a high one not followed by a low one, or a low one not preceded by a high one.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNCLEAN = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A field whose text was cleaned: where (`body.From`, `query.policy`), and each refused code unit,
 * escaped (`\\u0000`), with its offset in the original. The rest of the text is not repeated here:
 * it is in the cleaned params, masked like any other field.
 */
export type RefusedText = { field: string; refused: { unit: string; at: number }[] };

const escapeUnit = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const refusedUnits = (s: string): RefusedText['refused'] => [...s.matchAll(UNCLEAN)].map((m) => ({ unit: escapeUnit(m[0]), at: m.index }));
const escapeUnclean = (s: string): string => s.replace(UNCLEAN, escapeUnit);
export const cleanText = (s: string): string => s.replace(UNCLEAN, (c) => (c === '\u0000' ? '' : '\uFFFD'));
// why: isWellFormed (lone surrogates) is native and a NUL search is a scan: far cheaper than the pattern on every request.
const isUnclean = (s: string): boolean => s.includes('\u0000') || !s.isWellFormed();

/** Every string of a flat record of strings (a decoded form or query), keys included, as one text; null for anything else. */
const flatText = (value: unknown): string | null => {
  if (!value || typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) return null;
  let text = '';
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') return null;
    text += k + v;
  }
  return text;
};

/** A decoded body or query with every string (keys included) cleaned, and what was changed; the same object when nothing was. */
export const cleanValue = (value: unknown, at: string, refused: RefusedText[]): unknown => {
  // why: nearly every request is a flat, clean form: one test of all its text instead of one per field.
  const flat = flatText(value);
  if (flat !== null && !isUnclean(flat)) return value;
  if (typeof value === 'string') {
    if (!isUnclean(value)) return value;
    refused.push({ field: at, refused: refusedUnits(value) });
    return cleanText(value);
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v, i) => {
      const c = cleanValue(v, `${at}[${i}]`, refused);
      changed ||= c !== v;
      return c;
    });
    return changed ? out : value;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = isUnclean(k) ? (refused.push({ field: `${at}.${escapeUnclean(k)}`, refused: refusedUnits(k) }), cleanText(k)) : k;
      const c = cleanValue(v, `${at}.${key}`, refused);
      changed ||= c !== v || key !== k;
      out[key] = c;
    }
    return changed ? out : value;
  }
  return value;
};

const originals = new WeakMap<FastifyRequest, unknown>();
const refusals = new WeakMap<FastifyRequest, RefusedText[]>();

/** The body as it arrived, before cleaning: what a provider signed (Twilio signs the form params). */
export const bodyAsReceived = (request: FastifyRequest): unknown => (originals.has(request) ? originals.get(request) : request.body);

/** What the edge refused in this request's body and query (empty for a clean request). */
export const refusedTextOf = (request: FastifyRequest): RefusedText[] => refusals.get(request) ?? [];

/**
 * Registers the edge's hygiene on every route of `app` (before validation and before any route's
 * preHandler): text cleaned, and every card number in the body, query and path parameters masked
 * (`[pan:1111]`), so no domain, answer, log or store ever holds one, whatever field it came in.
 */
export const cleanRequestText = (app: FastifyInstance): void => {
  app.addHook('preValidation', async (request) => {
    const refused: RefusedText[] = [];
    const body = maskCardsIn(cleanValue(request.body, 'body', refused));
    const query = maskCardsIn(cleanValue(request.query, 'query', refused));
    const params = maskCardsIn(cleanValue(request.params, 'params', refused));
    if (refused.length > 0) refusals.set(request, refused);
    if (body !== request.body) {
      originals.set(request, request.body);
      request.body = body;
    }
    if (query !== request.query) request.query = query;
    if (params !== request.params) request.params = params;
  });
};
