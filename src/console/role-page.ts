import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { ConsoleRole, ConsoleUser } from './console-role.js';
import type { ConsoleSession } from './console-sessions.js';
import type { SafeHtml } from './html.js';
import { setPageHeaders } from './page-headers.js';
import { refusedBody, renderPage } from './render-page.js';

/** What every console page and its routes get. */
export type ConsoleDeps = {
  db: Db;
  clock: Clock;
  insurerName: string;
  /** Mark cookies Secure: the gateway is reached over HTTPS (PUBLIC_BASE_URL, or a proxy saying so). */
  secureCookies: boolean;
  /** The outbox queue, for the operator's queue view (the web process has it; without it the view says so). */
  outboxQueue?: Queue;
};

/**
 * One role's page: its body (a shell its script fills from the JSON APIs, with the signed-in user's
 * session cookie and CSRF token) and any routes of its own (a live feed, a download).
 */
export type RolePage = {
  role: ConsoleRole;
  /** Its script, /console/assets/NAME.js (src/console/browser/NAME.ts). */
  script?: string;
  body: (session: ConsoleSession, deps: ConsoleDeps) => SafeHtml | Promise<SafeHtml>;
  data?: (user: ConsoleUser) => Record<string, string>;
  routes?: (app: FastifyInstance, deps: ConsoleDeps) => Promise<void>;
};

/**
 * The session of a request to a `role` page, or null once the answer is sent: no session → to the
 * sign-in page (303; 401 for a script's request); another role → 403 saying whose page it is.
 */
export const requirePageRole = (deps: Pick<ConsoleDeps, 'insurerName'>, role: ConsoleRole, request: FastifyRequest, reply: FastifyReply): ConsoleSession | null => {
  const s = request.consoleSession;
  setPageHeaders(reply);
  const wantsPage = (request.headers.accept ?? '').includes('text/html');
  if (!s) {
    if (wantsPage) void reply.code(303).header('location', '/console/sign-in').send();
    else void reply.code(401).send({ error: 'UNAUTHENTICATED', message: 'sign in first: the session is missing or has expired' });
    return null;
  }
  if (s.user.role !== role) {
    if (wantsPage) void reply.code(403).type('text/html; charset=utf-8').send(renderPage({ title: 'Not your page', insurerName: deps.insurerName, user: s.user, csrfToken: s.csrfToken, body: refusedBody(s.user, role) }));
    else void reply.code(403).send({ error: 'FORBIDDEN', message: `this is the ${role} role's; you are signed in as ${s.user.role}` });
    return null;
  }
  return s;
};
