import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/pool.js';
import { checkBearerRole } from '../evidence/api-tokens.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';
import { claimRecoveryTask, closeRecoveryTask, findRecoveryTask, listRecoveryTasks, type RecoveryTask } from './recovery-tasks.js';

const listQuery = z.strictObject({
  status: z.enum(['open', 'claimed', 'done', 'cancelled'], 'status must be open, claimed, done or cancelled').optional(),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be 1 to 500').max(500, 'limit must be 1 to 500').optional(),
});
const idParams = z.strictObject({ id: z.uuid('the task id must be a UUID') });

const declare = (input: Omit<RouteInput, 'auth' | 'answers'> = {}) =>
  ({ config: { input: { auth: 'staff-token', answers: 'json', ...input } satisfies RouteInput } });

const parse = <T>(schema: z.ZodType<T>, v: unknown): T => {
  const r = schema.safeParse(v);
  if (!r.success) throw new AppError('RET_BAD_REQUEST', r.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  return r.data;
};

const view = (t: RecoveryTask) => ({ ...t, createdAt: t.createdAt.toISOString() });

/**
 * Recovery's tasks for human callers (bearer tokens): the list (operator or specialist), a
 * specialist claiming one (one person at a time) and closing it when worked. Paying the due, or the
 * recovery ending, cancels its open tasks.
 */
export const recoveryTasksRoutes = (deps: { db: Db; clock: Clock }) => async (app: FastifyInstance) => {
  const who = async (request: FastifyRequest, roles: ('specialist' | 'operator')[], what: string) => {
    const w = await checkBearerRole(deps.db, request, roles, (role) => `role ${role} may not ${what} (${roles.join(' or ')} only)`);
    if ('refused' in w) throw new AppError(w.refused === 'forbidden' ? 'RET_FORBIDDEN' : 'RET_UNAUTHENTICATED', w.message);
    return w;
  };
  const specialistOf = async (request: FastifyRequest, what: string) => {
    const w = await who(request, ['specialist'], what);
    if (!w.specialistId) throw new AppError('RET_FORBIDDEN', 'this token is not bound to a specialist');
    return w.specialistId;
  };
  const taskOr404 = async (request: FastifyRequest) => {
    const { id } = parse(idParams, request.params);
    const t = await findRecoveryTask(deps.db, id);
    if (!t) throw new AppError('RCV_TASK_NOT_FOUND', `no recovery task ${id}`);
    return t;
  };

  app.get('/api/recovery/tasks', declare({ query: listQuery }), async (request) => {
    await who(request, ['specialist', 'operator'], 'list recovery tasks');
    const q = parse(listQuery, request.query ?? {});
    return { tasks: (await listRecoveryTasks(deps.db, { status: q.status ?? null, limit: q.limit ?? 100 })).map(view) };
  });

  app.post('/api/recovery/tasks/:id/claim', declare({ params: idParams }), async (request) => {
    const by = await specialistOf(request, 'claim a recovery task');
    const t = await taskOr404(request);
    const claimed = await claimRecoveryTask(deps.db, t.id, by, deps.clock.now());
    if (!claimed) throw new AppError('RCV_TASK_TAKEN', t.status === 'claimed' ? 'another specialist has claimed this task' : `this task is ${t.status}`);
    return view(claimed);
  });

  app.post('/api/recovery/tasks/:id/close', declare({ params: idParams }), async (request) => {
    const by = await specialistOf(request, 'close a recovery task');
    const t = await taskOr404(request);
    const closed = await closeRecoveryTask(deps.db, t.id, by, deps.clock.now());
    if (!closed) throw new AppError('RCV_TASK_TAKEN', t.status === 'claimed' ? 'another specialist holds this task' : `this task is ${t.status}; claim it first`);
    return view(closed);
  });
};
