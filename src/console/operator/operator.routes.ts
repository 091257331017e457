import type { FastifyInstance } from 'fastify';
import { findLogState } from '../../evidence/log/log-state.js';
import { dayRangeQuery, resolveDayRange } from '../../shared/day-range.js';
import type { RouteInput } from '../../shared/webhook-edge/route-input.js';
import { requirePageRole, type ConsoleDeps } from '../role-page.js';
import { bullBoardRoutes } from './bull-board-routes.js';
import { findContactFigures } from './contact-figures.js';
import { readQueueState } from './queue-state.js';

const json = (input: Omit<RouteInput, 'auth' | 'answers'> = {}) =>
  ({ config: { input: { auth: 'console-session', answers: 'json', ...input } satisfies RouteInput } });

/**
 * The dashboard's own reads (the recovery report and retention metrics come from their APIs):
 * contact figures, the outbox queue's depth and failed jobs, the evidence log's state. Operator only.
 */
export const operatorRoutes = async (app: FastifyInstance, deps: ConsoleDeps) => {
  app.get('/console/operator/figures', json({ query: dayRangeQuery }), async (request, reply) => {
    if (!requirePageRole(deps, 'operator', request, reply)) return reply;
    const q = dayRangeQuery.safeParse(request.query ?? {});
    const range = q.success ? resolveDayRange(q.data, deps.clock.now(), 90) : null;
    if (!range) {
      const message = q.success ? 'from must be before to' : q.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
      return reply.code(400).send({ error: 'BAD_REQUEST', message });
    }
    return reply.send(await findContactFigures(deps.db, range));
  });

  app.get('/console/operator/queue', json(), async (request, reply) => {
    if (!requirePageRole(deps, 'operator', request, reply)) return reply;
    return reply.send(await readQueueState(deps.outboxQueue));
  });

  app.get('/console/operator/evidence', json(), async (request, reply) => {
    if (!requirePageRole(deps, 'operator', request, reply)) return reply;
    return reply.send(await findLogState(deps.db));
  });

  await bullBoardRoutes(app, deps);
};
