import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/pool.js';
import { checkBearerRole, type ApiPrincipal } from '../evidence/api-tokens.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';
import { CONTACT_CARD_PATH, renderContactCard, type ContactCard } from './contact-card.js';
import { noticeBatchStatus } from './notice-batch-status.js';
import { paceFrom } from './pace-from.js';
import { NOTICE_KINDS } from './notice-kinds.js';
import type { NoticeTemplates } from './notice-templates.js';
import { planNoticeBatch } from './plan-notice-batch.js';
import { queueNotices } from './queue-notices.js';
import { recordNoticeBatch } from './record-notice-batch.js';
import type { NoticeWording } from './render-notice.js';

export type NoticesRoutesDeps = {
  db: Db;
  clock: Clock;
  templates: NoticeTemplates;
  wording: NoticeWording;
  /** The insurer's contact card (INSURER_NAME, the gateway's number, INSURER_WEBSITE). */
  card: ContactCard;
  /** The insurer's zone (BUSINESS_HOURS'): whose calendar says whether a due is overdue. */
  homeZone: string;
  /** The number notices are sent from, and its rate in segments per second (the sender rate limiter's rateOf). */
  from: string;
  rateOf: (sender: string) => number;
  /** Hands committed outbox rows to BullMQ (the relay sends any it misses). */
  dispatch: (rows: OutboxRow[]) => void;
};

/** The most policy numbers one request may list. */
export const MAX_BATCH = 10_000;

const batchBody = z.strictObject({
  notice: z.enum(NOTICE_KINDS, { error: `notice must be one of ${NOTICE_KINDS.join(', ')}` }),
  policyNumbers: z.array(z.string().trim().min(1, 'a policy number is empty').max(64, 'a policy number is longer than 64 characters'), { error: 'policyNumbers must be an array of policy numbers' })
    .min(1, 'policyNumbers must list at least one policy number')
    .max(MAX_BATCH, `policyNumbers may list at most ${MAX_BATCH.toLocaleString('en-US')} policy numbers; split the batch`),
  dueId: z.uuid('dueId must be a due id (a UUID)').optional(),
}).refine((b) => b.dueId === undefined || b.policyNumbers.length === 1, {
  message: 'dueId names one due: send it with exactly one policy number (without it, each policy\'s earliest open due is used)', path: ['dueId'],
});
const batchParams = z.object({ batchId: z.uuid() });

const parse = <T>(schema: z.ZodType<T>, v: unknown): T => {
  const r = schema.safeParse(v);
  if (!r.success) throw new AppError('NTC_BAD_REQUEST', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
};

const operator = (input: Omit<RouteInput, 'auth' | 'answers'>) => ({ config: { input: { auth: 'operator-token', answers: 'json', ...input } satisfies RouteInput } });

/** 401 without a valid token, 403 for a role other than operator, each with the reason. */
const requireOperator = async (db: Db, request: FastifyRequest): Promise<ApiPrincipal> => {
  const p = await checkBearerRole(db, request, 'operator', (role) => `role ${role} may not send notices (operator only)`);
  if ('refused' in p) throw new AppError(p.refused === 'forbidden' ? 'NTC_FORBIDDEN' : 'NTC_UNAUTHENTICATED', p.message);
  return p;
};

/**
 * The notices' routes: the insurer's contact card (public: the carrier fetches it to attach to the
 * welcome notice), and the operator API: POST /api/notices queues a batch (202 with what was
 * queued and what was left out, and why), GET /api/notices/:batchId counts a batch's notices by state.
 */
export const noticesRoutes = (deps: NoticesRoutesDeps) => async (app: FastifyInstance) => {
  const card = renderContactCard(deps.card);
  // why: Twilio checks a media URL's Content-Type with HEAD and GET before attaching it (Fastify answers HEAD from this route),
  // and iPhones take a vCard whose name ends in .vcf.
  app.get(CONTACT_CARD_PATH, { config: { input: { auth: 'public', answers: 'text' } satisfies RouteInput } }, async (_req, reply) =>
    reply.type('text/vcard; charset=utf-8').header('content-disposition', 'inline; filename="contact.vcf"').header('cache-control', 'public, max-age=3600').send(card));

  app.post('/api/notices', operator({ body: batchBody }), async (req, reply) => {
    const actor = await requireOperator(deps.db, req);
    const b = parse(batchBody, req.body ?? {});
    const now = deps.clock.now();
    const plan = await planNoticeBatch(
      { db: deps.db, templates: deps.templates, wording: deps.wording, rate: deps.rateOf(deps.from), homeZone: deps.homeZone },
      { notice: b.notice, policyNumbers: b.policyNumbers, dueId: b.dueId, start: now, paceFrom: await paceFrom(deps.db, now) },
    );
    const batchId = newId();
    const rows = await queueNotices(deps.db, { now, from: deps.from, batchId, notices: plan.notices });
    if (rows.length) deps.dispatch(rows);
    await recordNoticeBatch(deps.db, deps.clock, { actor, batchId, notice: b.notice, queued: rows.length, rejected: plan.rejected.length });
    req.log.info({ batchId, notice: b.notice, queued: rows.length, rejected: plan.rejected.length, operator: actor.name }, 'notice batch queued');
    const last = plan.notices.at(-1)?.runAt;
    const first = plan.notices[0]?.runAt;
    return reply.code(202).send({
      batchId, notice: b.notice, queued: rows.length, rejected: plan.rejected,
      ...(first && last ? { firstRunAt: first.toISOString(), lastRunAt: last.toISOString() } : {}),
    });
  });

  app.get('/api/notices/:batchId', operator({ params: batchParams }), async (req) => {
    await requireOperator(deps.db, req);
    const { batchId } = parse(batchParams, req.params);
    return noticeBatchStatus(deps.db, batchId);
  });
};
