import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findHolderContacts } from '../../policies/find-holder-contacts.js';
import { findPolicies } from '../../policies/find-policies.js';
import type { RouteInput } from '../../shared/webhook-edge/route-input.js';
import type { ConsoleDeps } from '../role-page.js';
import { specialistOf } from './specialist-events.js';

export const PEOPLE_PATH = '/console/specialist/people';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const MAX_IDS = 100;
const idList = (what: string) => z.string()
  .max(37 * MAX_IDS, `${what}: at most ${MAX_IDS} ids`)
  .regex(new RegExp(`^${UUID}(,${UUID}){0,${MAX_IDS - 1}}$`), `${what} must be UUIDs separated by commas (at most ${MAX_IDS})`);
const peopleQuery = z.strictObject({ policies: idList('policies').optional(), holders: idList('holders').optional() });

const ids = (list: string | undefined) => [...new Set((list ?? '').split(',').filter(Boolean).map((id) => id.toLowerCase()))];

/**
 * Who the specialist's work lists are about: the callbacks and recovery tasks APIs name policies and
 * policyholders by id, so the page asks here for their policy numbers, names and numbers to call
 * (the policies domain's own lookups), in one request per list.
 */
export const specialistPeopleRoute = (app: FastifyInstance, deps: ConsoleDeps) => {
  app.get(PEOPLE_PATH, { config: { input: { auth: 'console-session', answers: 'json', query: peopleQuery } satisfies RouteInput } }, async (request, reply) => {
    if (!specialistOf(deps, request, reply)) return reply;
    const q = peopleQuery.safeParse(request.query ?? {});
    if (!q.success) return reply.code(400).send({ error: 'BAD_REQUEST', message: q.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ') });
    const policyIds = ids(q.data.policies);
    const policies = policyIds.length ? await findPolicies(deps.db, { ids: policyIds }) : [];
    const holders = await findHolderContacts(deps.db, [...new Set([...ids(q.data.holders), ...policies.map((p) => p.policyholderId)])]);
    return {
      policies: policies.map((p) => ({ id: p.id, policyNumber: p.policyNumber, holderId: p.policyholderId, status: p.status })),
      holders,
    };
  });
};
