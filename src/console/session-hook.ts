import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/pool.js';
import type { ApiPrincipal } from '../evidence/api-tokens.js';
import type { Clock } from '../shared/clock.js';
import { findSession, type ConsoleSession } from './console-sessions.js';

export const SESSION_COOKIE = 'gw_session';
/** The header a page's script sends its session's CSRF token in (from the page's meta tag). */
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The live console session behind the request's cookie (null: none, or not looked up for this path). */
    consoleSession: ConsoleSession | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const usesSession = (url: string) => url.startsWith('/api/') || url === '/console' || url.startsWith('/console/');

/** The same session principal the APIs' role checks read (admins manage users only: no API role). */
const principalOf = (s: ConsoleSession): ApiPrincipal | null =>
  s.user.role === 'admin' ? null
    : { id: s.user.id, name: s.user.username, role: s.user.role, specialistId: s.user.specialistId, via: 'console' };

/**
 * Finds the console session behind the `gw_session` cookie for the consoles and the JSON APIs, so
 * the pages call the same APIs as token holders do. A state-changing API request made with a session
 * (no bearer token) must carry the session's CSRF token in `x-csrf-token`, else 403: another site's
 * form cannot act for a signed-in user (the cookie is also SameSite=Strict). Registered on the root
 * app before any route, so every API route sees it.
 */
export const attachConsoleSessions = async (app: FastifyInstance, deps: { db: Db; clock: Clock }) => {
  await app.register(cookie);
  app.decorateRequest('consoleSession', null);
  app.decorateRequest('sessionPrincipal', null);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!usesSession(request.url)) return;
    const value = request.cookies[SESSION_COOKIE];
    if (!value || value.length > 128) return;
    const session = await findSession(deps.db, deps.clock, value);
    request.consoleSession = session;
    if (!session || !request.url.startsWith('/api/') || request.headers.authorization) return;
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
      return reply.code(403).send({ error: 'CSRF_REFUSED', message: `a signed-in request that changes something must carry the page's CSRF token (${CSRF_HEADER})` });
    }
    request.sessionPrincipal = principalOf(session);
  });
};
