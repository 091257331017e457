import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/pool.js';
import { checkBearerRole } from '../evidence/api-tokens.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';
import { findSaveMetrics } from './save-metrics.js';
import { describeIssues } from './specialist-input.js';
import { dayRangeQuery, resolveDayRange } from '../shared/day-range.js';

const rangeQuery = dayRangeQuery;

/**
 * `GET /api/retention/metrics?from=YYYY-MM-DD&to=YYYY-MM-DD` (operator token): save rate by reason and by
 * offer, transfers' time to a specialist and abandonment (see SaveMetrics), for cases decided from
 * `from` (default 90 days ago) up to and including `to` (default today), in UTC days.
 */
export const saveMetricsRoutes = (deps: { db: Db; clock: Clock }) => async (app: FastifyInstance) => {
  app.get('/api/retention/metrics', { config: { input: { auth: 'operator-token', answers: 'json', query: rangeQuery } satisfies RouteInput } }, async (request) => {
    const who = await checkBearerRole(deps.db, request, ['operator'], (role) => `role ${role} may not read retention metrics (operator only)`);
    if ('refused' in who) throw new AppError(who.refused === 'forbidden' ? 'RET_FORBIDDEN' : 'RET_UNAUTHENTICATED', who.message);
    const r = rangeQuery.safeParse(request.query ?? {});
    if (!r.success) throw new AppError('RET_BAD_REQUEST', describeIssues(r.error).join('; '));
    const now = deps.clock.now();
    const range = resolveDayRange(r.data, now, 90);
    if (!range) throw new AppError('RET_BAD_REQUEST', 'from must be before to');
    return findSaveMetrics(deps.db, { ...range, now });
  });
};
