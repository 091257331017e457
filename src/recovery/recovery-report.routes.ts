import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/pool.js';
import { checkBearerRole } from '../evidence/api-tokens.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { dayRangeQuery, resolveDayRange } from '../shared/day-range.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';
import { findRecoveryReport } from './recovery-report.js';

/**
 * `GET /api/recovery/report?from=YYYY-MM-DD&to=YYYY-MM-DD` (operator token): failed-debit recovery's
 * figures for recoveries begun from `from` (default 90 days ago) up to and including `to` (default
 * today), in UTC days: rate, time to recovery, amounts, channels and the funnel by step.
 */
export const recoveryReportRoutes = (deps: { db: Db; clock: Clock; scheduleSteps: readonly string[] }) => async (app: FastifyInstance) => {
  app.get('/api/recovery/report', { config: { input: { auth: 'operator-token', answers: 'json', query: dayRangeQuery } satisfies RouteInput } }, async (request) => {
    const who = await checkBearerRole(deps.db, request, ['operator'], (role) => `role ${role} may not read the recovery report (operator only)`);
    if ('refused' in who) throw new AppError(who.refused === 'forbidden' ? 'RET_FORBIDDEN' : 'RET_UNAUTHENTICATED', who.message);
    const r = dayRangeQuery.safeParse(request.query ?? {});
    if (!r.success) throw new AppError('RET_BAD_REQUEST', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const range = resolveDayRange(r.data, deps.clock.now(), 90);
    if (!range) throw new AppError('RET_BAD_REQUEST', 'from must be before to');
    return findRecoveryReport(deps.db, { ...range, scheduleSteps: deps.scheduleSteps });
  });
};
