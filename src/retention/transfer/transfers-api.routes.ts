import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkBearerRole, type ApiPrincipal } from '../../evidence/api-tokens.js';
import { AppError } from '../../shared/app-error.js';
import type { RouteInput } from '../../shared/webhook-edge/route-input.js';
import { describeIssues } from '../specialist-input.js';
import { buildScreenPop } from './build-screen-pop.js';
import { OutcomeNotApplicable, recordSpecialistOutcome, specialistOutcomeSchema, type SpecialistOutcomeDeps } from './specialist-outcome.js';
import { findTransfer, legsOf, type Leg, type Transfer } from './transfer-store.js';

const idParams = z.strictObject({ id: z.uuid('the transfer id must be a UUID') });

const declare = (input: Omit<RouteInput, 'auth' | 'answers'> = {}) =>
  ({ config: { input: { auth: 'staff-token', answers: 'json', ...input } satisfies RouteInput } });

const parse = <T>(schema: z.ZodType<T>, v: unknown): T => {
  const r = schema.safeParse(v);
  if (!r.success) throw new AppError('RET_BAD_REQUEST', describeIssues(r.error).join('; '));
  return r.data;
};

/**
 * The transfer, for a principal allowed to see it: an operator, or a specialist (by their bound token)
 * who was rung for it. 401 without a valid token, 403 for anyone else, 404 for no such transfer.
 */
const transferFor = async (db: SpecialistOutcomeDeps['db'], request: FastifyRequest, what: string): Promise<{ t: Transfer; legs: Leg[]; who: ApiPrincipal }> => {
  const who = await checkBearerRole(db, request, ['specialist', 'operator'], (role) => `role ${role} may not ${what} (specialist or operator only)`);
  if ('refused' in who) throw new AppError(who.refused === 'forbidden' ? 'RET_FORBIDDEN' : 'RET_UNAUTHENTICATED', who.message);
  const { id } = parse(idParams, request.params);
  const t = await findTransfer(db, { id });
  if (!t) throw new AppError('RET_TRANSFER_NOT_FOUND', `no transfer ${id}`);
  const legs = await legsOf(db, t.id);
  if (who.role === 'specialist' && !legs.some((l) => l.specialistId === who.specialistId)) {
    throw new AppError('RET_FORBIDDEN', 'this specialist was not offered this transfer');
  }
  return { t, legs, who };
};

/**
 * The transfers API (bearer tokens): the screen pop a specialist reads before and while talking to
 * a transferred caller, and the outcome they record, carried out as the IVR would carry it out.
 */
export const transfersApiRoutes = (deps: SpecialistOutcomeDeps) => async (app: FastifyInstance) => {
  app.get('/api/transfers/:id', declare({ params: idParams }), async (request) => {
    const { t, legs } = await transferFor(deps.db, request, 'read a transfer');
    return { ...(await buildScreenPop(deps.db, t)), legs: legs.map((l) => ({ id: l.id, specialistId: l.specialistId, status: l.status })) };
  });

  app.post('/api/transfers/:id/outcome', declare({ params: idParams, body: specialistOutcomeSchema }), async (request, reply) => {
    const { t, who } = await transferFor(deps.db, request, 'record a transfer outcome');
    if (who.role === 'specialist' && t.specialistId !== who.specialistId) throw new AppError('RET_FORBIDDEN', 'only the specialist who took this transfer records its outcome');
    const decision = parse(specialistOutcomeSchema, request.body ?? {});
    try {
      const r = await recordSpecialistOutcome(deps, t, decision, { name: who.name, specialistId: who.specialistId });
      return reply.code(202).send({ transferId: t.id, outcome: decision.outcome, queued: r.queued, offer: r.offer });
    } catch (err) {
      if (err instanceof OutcomeNotApplicable) throw new AppError('RET_OUTCOME_NOT_APPLICABLE', err.message);
      throw err;
    }
  });
};
