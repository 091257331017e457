import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { checkBearerRole } from '../../evidence/api-tokens.js';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import type { RouteInput } from '../../shared/webhook-edge/route-input.js';
import { describeIssues } from '../specialist-input.js';
import { listCallbacks } from './callback-store.js';

const DAY_MS = 86_400_000;

const listQuery = z.strictObject({
  status: z.enum(['open', 'done', 'missed', 'cancelled'], 'status must be open, done, missed or cancelled').optional(),
  from: z.iso.datetime({ offset: true, message: 'from must be an ISO 8601 time, e.g. 2026-12-01T00:00:00Z' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'to must be an ISO 8601 time, e.g. 2026-12-08T00:00:00Z' }).optional(),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be 1 to 500').max(500, 'limit must be 1 to 500').optional(),
});

/**
 * The callbacks report (bearer token, operator or specialist): callbacks booked in a window (the
 * last 30 days by default), newest first, optionally of one status; `missed` lists those both
 * attempts failed to reach, which a person should follow up.
 */
export const callbacksApiRoutes = (deps: { db: Db; clock: Clock }) => async (app: FastifyInstance) => {
  app.get('/api/callbacks', { config: { input: { auth: 'staff-token', answers: 'json', query: listQuery } satisfies RouteInput } }, async (request) => {
    const who = await checkBearerRole(deps.db, request, ['specialist', 'operator'], (role) => `role ${role} may not list callbacks (specialist or operator only)`);
    if ('refused' in who) throw new AppError(who.refused === 'forbidden' ? 'RET_FORBIDDEN' : 'RET_UNAUTHENTICATED', who.message);
    const r = listQuery.safeParse(request.query ?? {});
    if (!r.success) throw new AppError('RET_BAD_REQUEST', describeIssues(r.error).join('; '));
    const now = deps.clock.now();
    const to = r.data.to ? new Date(r.data.to) : new Date(now.getTime() + DAY_MS);
    const from = r.data.from ? new Date(r.data.from) : new Date(to.getTime() - 31 * DAY_MS);
    if (from >= to) throw new AppError('RET_BAD_REQUEST', 'from must be before to');
    const rows = await listCallbacks(deps.db, { status: r.data.status ?? null, from, to, limit: r.data.limit ?? 100 });
    return {
      from: from.toISOString(), to: to.toISOString(), status: r.data.status ?? null,
      callbacks: rows.map((c) => ({
        id: c.id, phone: c.phone, policyholderId: c.policyholderId, policyId: c.policyId, reason: c.reason, locale: c.locale,
        requestedAt: c.requestedAt.toISOString(), slotAt: c.slotAt?.toISOString() ?? null, status: c.status, attempts: c.attempts,
        lastOutcome: c.lastOutcome, closedAt: c.closedAt?.toISOString() ?? null,
      })),
    };
  });
};
