import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/pool.js';
import { checkBearerRole } from '../evidence/api-tokens.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';
import { findSaveMetrics } from './save-metrics.js';
import { describeIssues } from './specialist-input.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'must be a real date');
const rangeQuery = z.strictObject({ from: day.optional(), to: day.optional() });

/**
 * `GET /api/retention/metrics?from=YYYY-MM-DD&to=YYYY-MM-DD` (operator token): save rate by reason and by
 * offer, transfers' time to a specialist and abandonment (see SaveMetrics), for cases decided from
 * `from` (default 90 days ago) up to and including `to` (default today), in UTC days.
 */
export const saveMetricsRoutes = (deps: { db: Db; clock: Clock }) => async (app: FastifyInstance) => {
  app.get('/api/retention/metrics', { config: { input: { auth: 'operator-token', answers: 'json', query: rangeQuery } satisfies RouteInput } }, async (request) => {
    const who = await checkBearerRole(deps.db, request.headers.authorization, ['operator'], (role) => `role ${role} may not read retention metrics (operator only)`);
    if ('refused' in who) throw new AppError(who.refused === 'forbidden' ? 'RET_FORBIDDEN' : 'RET_UNAUTHENTICATED', who.message);
    const r = rangeQuery.safeParse(request.query ?? {});
    if (!r.success) throw new AppError('RET_BAD_REQUEST', describeIssues(r.error).join('; '));
    const now = deps.clock.now();
    const to = r.data.to ? new Date(Date.parse(`${r.data.to}T00:00:00Z`) + 86_400_000) : now;
    const from = r.data.from ? new Date(`${r.data.from}T00:00:00Z`) : new Date(to.getTime() - 90 * 86_400_000);
    if (from >= to) throw new AppError('RET_BAD_REQUEST', 'from must be before to');
    return findSaveMetrics(deps.db, { from, to, now });
  });
};
