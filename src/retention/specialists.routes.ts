import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/pool.js';
import { checkBearerRole, type ApiPrincipal, type ApiRole } from '../evidence/api-tokens.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';
import { createSpecialist } from './create-specialist.js';
import { findSpecialist } from './find-specialist.js';
import { listSpecialists } from './list-specialists.js';
import { specialistJson } from './specialist.js';
import { availabilityBodySchema, describeIssues, newSpecialistSchema } from './specialist-input.js';
import { updateAvailability } from './update-availability.js';

export type SpecialistsRoutesDeps = {
  db: Db;
  clock: Clock;
  /** The insurer's zone (BUSINESS_HOURS'): a new specialist's zone when none is given. */
  homeZone: string;
};

const idParams = z.strictObject({ id: z.uuid('the specialist id must be a UUID') });

const parse = <T>(schema: z.ZodType<T>, v: unknown): T => {
  const r = schema.safeParse(v);
  if (!r.success) throw new AppError('RET_BAD_REQUEST', describeIssues(r.error).join('; '));
  return r.data;
};

const declare = (auth: RouteInput['auth'], input: Omit<RouteInput, 'auth' | 'answers'> = {}) =>
  ({ config: { input: { auth, answers: 'json', ...input } satisfies RouteInput } });

/** 401 without a valid token, 403 for a role not in `roles`, each with the reason. */
const requireRole = async (db: Db, request: FastifyRequest, roles: readonly ApiRole[], what: string): Promise<ApiPrincipal> => {
  const p = await checkBearerRole(db, request, roles, (role) => `role ${role} may not ${what} (${roles.join(' or ')} only)`);
  if ('refused' in p) throw new AppError(p.refused === 'forbidden' ? 'RET_FORBIDDEN' : 'RET_UNAUTHENTICATED', p.message);
  return p;
};

const UNBOUND = 'this specialist token is bound to no specialist (create one with: npm run evidence -- token --name NAME --role specialist --specialist ID)';

/**
 * The retention specialists' registry over JSON, behind bearer tokens: the team with its availability
 * (operators and specialists), adding a specialist (operators), a specialist's own record (their bound
 * token), and availability changes (the specialist's own token, or an operator's), each recorded as evidence.
 */
export const specialistsRoutes = (deps: SpecialistsRoutesDeps) => async (app: FastifyInstance) => {
  const { db, clock } = deps;

  app.get('/api/specialists', declare('staff-token'), async (req) => {
    await requireRole(db, req, ['operator', 'specialist'], 'list specialists');
    return { specialists: (await listSpecialists(db)).map(specialistJson) };
  });

  app.post('/api/specialists', declare('operator-token', { body: newSpecialistSchema }), async (req, reply) => {
    const actor = await requireRole(db, req, ['operator'], 'add specialists');
    const s = await createSpecialist(db, clock, parse(newSpecialistSchema, req.body ?? {}), deps.homeZone);
    req.log.info({ specialistId: s.id, operator: actor.name }, 'specialist added');
    return reply.code(201).send(specialistJson(s));
  });

  app.get('/api/specialists/me', declare('specialist-token'), async (req) => {
    const p = await requireRole(db, req, ['specialist'], 'read a specialist\'s own record');
    if (!p.specialistId) throw new AppError('RET_FORBIDDEN', UNBOUND);
    const s = await findSpecialist(db, p.specialistId);
    if (!s) throw new AppError('RET_NOT_FOUND', `specialist ${p.specialistId} (this token's) no longer exists`);
    return specialistJson(s);
  });

  app.put('/api/specialists/:id/availability', declare('staff-token', { params: idParams, body: availabilityBodySchema }), async (req) => {
    const actor = await requireRole(db, req, ['operator', 'specialist'], 'change availability');
    // why: a UUID may come in capitals; ids are stored and bound in lower case.
    const id = parse(idParams, req.params).id.toLowerCase();
    if (actor.role === 'specialist' && actor.specialistId !== id) {
      throw new AppError('RET_FORBIDDEN', actor.specialistId
        ? `this token is specialist ${actor.specialistId}'s: a specialist changes only their own availability (an operator may change anyone's)`
        : UNBOUND);
    }
    const { state } = parse(availabilityBodySchema, req.body ?? {});
    const change = await updateAvailability(db, clock, { id, state, actor });
    if (!change) throw new AppError('RET_NOT_FOUND', `no specialist with id ${id}`);
    if (change.changed) req.log.info({ specialistId: id, from: change.previous, to: change.current, by: actor.name }, 'specialist availability changed');
    return { id, previous: change.previous, state: change.current, changed: change.changed, changedAt: change.changedAt?.toISOString() ?? null };
  });
};
