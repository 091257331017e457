import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/pool.js';
import { findPolicies } from '../policies/find-policies.js';
import { AppError } from '../shared/app-error.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';
import type { Clock } from '../shared/clock.js';
import { recordAccess, type Actor } from './access-log.js';
import { checkBearerRole } from './api-tokens.js';
import { exportBundle, type ExportDeps } from './export/export-bundle.js';
import { consistencyProof, inclusionProofs } from './log/log-proofs.js';
import { latestCheckpoint } from './log/tree-store.js';
import { accessLogEntries } from './retrieval/access-log-entries.js';
import { policyTimeline, type PolicyPaymentRecords } from './retrieval/policy-timeline.js';
import { searchInteractions } from './retrieval/search-interactions.js';
import { boundHint, parseBound, type BoundSide } from './retrieval/time-window.js';
import { verifierKey, type EvidenceSigner } from './signer.js';

export type ComplianceDeps = {
  db: Db;
  clock: Clock;
  signer: Pick<EvidenceSigner, 'name' | 'publicKey'>;
  kickSequencer: ExportDeps['kickSequencer'];
  /** The insurer's time zone: a bare date in a window means that whole day there. */
  zone: string;
  /** Payments' records of a policy, for timelines (a port: evidence imports no payments code). */
  payments: PolicyPaymentRecords;
};

const parse = <T>(schema: z.ZodType<T>, v: unknown): T => {
  const r = schema.safeParse(v);
  if (!r.success) throw new AppError('BAD_REQUEST', r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  return r.data;
};
/** Dates and date-times alike (see time-window.ts); a bare end date includes its whole day. */
const bound = (side: BoundSide, zone: string) =>
  z.string().max(40).transform((text, ctx) => {
    const d = parseBound(text, side, zone);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: boundHint(side, zone) });
      return z.NEVER;
    }
    return d;
  });
const ordered = <T extends { from?: Date; to?: Date }>(w: T) => !(w.from && w.to && w.from > w.to);
const ORDER = { message: 'from must not be after to', path: ['to'] };
const schemas = (zone: string) => ({
  window: z.object({ from: bound('from', zone), to: bound('to', zone) }).refine(ordered, ORDER),
  search: z.object({
    policy: z.string().min(1).max(64).optional(),
    phone: z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'phone must be E.164, e.g. +12025550143').optional(),
    interaction: z.uuid().optional(),
    from: bound('from', zone).optional(),
    to: bound('to', zone).optional(),
  }).refine(ordered, ORDER),
  accessLog: z.object({
    from: bound('from', zone).optional(),
    to: bound('to', zone).optional(),
    actor: z.string().min(1).max(64).optional(),
    policy: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  }).refine(ordered, ORDER),
  /** The export body: the same names as the search query and the CLI's flags. */
  export: z.strictObject({
    policy: z.string().min(1).max(64),
    from: bound('from', zone),
    to: bound('to', zone),
    since: z.number().int().positive().optional(),
  }).refine(ordered, ORDER),
});

const idParams = z.object({ id: z.uuid() });
const policyParams = z.object({ policyNumber: z.string().min(1).max(64) });
const sizesQuery = z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() });
const open = (answers: RouteInput['answers']) => ({ config: { input: { auth: 'public', answers } satisfies RouteInput } });
const token = (input: Omit<RouteInput, 'auth' | 'answers'>) => ({ config: { input: { auth: 'compliance-token', answers: 'json', ...input } satisfies RouteInput } });

/** 401 without a valid token, 403 for a role other than compliance. */
const requireCompliance = async (db: Db, request: FastifyRequest): Promise<Actor> => {
  const p = await checkBearerRole(db, request, 'compliance', (role) => `role ${role} may not read evidence`);
  if ('refused' in p) throw new AppError(p.refused === 'forbidden' ? 'EVD_FORBIDDEN' : 'EVD_UNAUTHENTICATED', p.message);
  return { kind: p.via === 'console' ? 'console-user' : 'api-token', id: p.id, name: p.name, role: p.role };
};

const policyIdOf = async (db: Db, policyNumber: string) => (await findPolicies(db, { numbers: [policyNumber] }))[0]?.id ?? null;

/**
 * The evidence API. Public: the log's verifier key and latest checkpoint (as
 * transparency logs publish them). Behind a compliance-role bearer token:
 * search, timelines, events, proofs and exports, each read recorded as an
 * evidence event of its own (who, what, when).
 */
export const complianceRoutes = (deps: ComplianceDeps) => async (app: FastifyInstance) => {
  const { db, clock } = deps;
  const schema = schemas(deps.zone);
  app.get('/evidence/public-key', open('text'), async (_req, reply) =>
    reply.type('text/plain; charset=utf-8').send(`${verifierKey(deps.signer.name, deps.signer.publicKey)}\n`));
  app.get('/evidence/checkpoint', open('text'), async (_req, reply) => {
    const cp = await latestCheckpoint(db);
    if (!cp) throw new AppError('EVD_NOT_FOUND', 'no checkpoint signed yet');
    return reply.type('text/plain; charset=utf-8').send(cp.note);
  });

  const audit = (actor: Actor, action: string, details: Record<string, unknown>, policyId: string | null = null) =>
    recordAccess(db, clock, { actor, action, policyId, details });

  app.get('/api/compliance/interactions', token({ query: schema.search }), async (req) => {
    const actor = await requireCompliance(db, req);
    const q = parse(schema.search, req.query);
    const hits = await searchInteractions(db, { policyNumber: q.policy, phone: q.phone, interactionId: q.interaction, from: q.from, to: q.to });
    const policyId = q.policy ? await policyIdOf(db, q.policy) : null;
    await audit(actor, 'search', { query: req.query, results: hits.length }, policyId);
    return { interactions: hits };
  });

  app.get('/api/compliance/interactions/:id/events', token({ params: idParams }), async (req) => {
    const actor = await requireCompliance(db, req);
    const { id } = parse(idParams, req.params);
    const { rows } = await db.query(
      `select e.id, e.seq, e.type, e.schema_version as "schemaVersion", e.received_at as "receivedAt", e.provider_time as "providerTime", e.provider_ref as "providerRef",
              e.payload, e.prev_hash as "prevHash", e.hash, l.leaf_index::float8 as "leafIndex"
         from evidence_events e left join evidence_log_leaves l on l.event_id = e.id where e.interaction_id = $1 order by e.seq`,
      [id],
    );
    const policy = (await db.query<{ policy_id: string | null }>('select policy_id from interactions where id = $1', [id])).rows[0];
    if (!policy) throw new AppError('EVD_NOT_FOUND', `no interaction ${id}`);
    await audit(actor, 'read-interaction', { interactionId: id, events: rows.length }, policy.policy_id);
    return { interactionId: id, events: rows };
  });

  app.get('/api/compliance/policies/:policyNumber/timeline', token({ params: policyParams, query: schema.window }), async (req) => {
    const actor = await requireCompliance(db, req);
    const { policyNumber } = parse(policyParams, req.params);
    const w = parse(schema.window, req.query);
    const t = await policyTimeline(db, deps.payments, { policyNumber, ...w });
    await audit(actor, 'timeline', { policyNumber, from: w.from.toISOString(), to: w.to.toISOString(), entries: t.entries.length }, t.policyId);
    return t;
  });

  app.get('/api/compliance/events/:id/proof', token({ params: idParams }), async (req) => {
    const actor = await requireCompliance(db, req);
    const { id } = parse(idParams, req.params);
    const leaf = (await db.query<{ i: number }>('select leaf_index::float8 as i from evidence_log_leaves where event_id = $1', [id])).rows[0];
    if (!leaf) throw new AppError('EVD_NOT_SEQUENCED', `event ${id} is not in the log (yet)`);
    const cp = await latestCheckpoint(db);
    if (!cp || cp.treeSize <= leaf.i) throw new AppError('EVD_NOT_SEQUENCED', `event ${id} is not under a checkpoint yet`);
    const [proof] = await inclusionProofs(db, [leaf.i], cp.treeSize);
    await audit(actor, 'proof', { eventId: id, treeSize: cp.treeSize });
    return { eventId: id, ...proof, checkpoint: cp.note };
  });

  app.get('/api/compliance/consistency', token({ query: sizesQuery }), async (req) => {
    const actor = await requireCompliance(db, req);
    const q = parse(sizesQuery, req.query);
    const cp = await latestCheckpoint(db);
    if (!cp || q.to > cp.treeSize || q.from > q.to) throw new AppError('BAD_REQUEST', `sizes must satisfy 0 < from <= to <= ${cp?.treeSize ?? 0}`);
    await audit(actor, 'consistency', q);
    return consistencyProof(db, q.from, q.to);
  });

  app.get('/api/compliance/access-log', token({ query: schema.accessLog }), async (req) => {
    const actor = await requireCompliance(db, req);
    const q = parse(schema.accessLog, req.query);
    const entries = await accessLogEntries(db, { from: q.from, to: q.to, actor: q.actor, policyNumber: q.policy, limit: q.limit });
    await audit(actor, 'access-log', { query: req.query, results: entries.length });
    return { entries };
  });

  app.post('/api/compliance/exports', token({ body: schema.export }), async (req) => {
    const actor = await requireCompliance(db, req);
    const b = parse(schema.export, req.body ?? {});
    const files = await exportBundle(
      { db, clock, signer: deps.signer, kickSequencer: deps.kickSequencer },
      { policyNumber: b.policy, from: b.from, to: b.to, actor, ...(b.since ? { sinceSize: b.since } : {}) },
    );
    return { files };
  });
};
