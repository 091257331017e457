import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';
import { ASSET_NAME, createAssetStore } from './console-assets.js';
import { ROLE_PAGES } from './console-pages.js';
import { endSession, SESSION_LIMITS } from './console-sessions.js';
import { html } from './html.js';
import { setPageHeaders } from './page-headers.js';
import { ROLE_HOME, renderPage, signInBody } from './render-page.js';
import { requirePageRole, type ConsoleDeps } from './role-page.js';
import { SESSION_COOKIE } from './session-hook.js';
import { signIn } from './sign-in.js';
import { recordSignOut } from './sign-out.js';

/** The sign-in form's CSRF token lives in this cookie until a session exists (double submit). */
const SIGN_IN_COOKIE = 'gw_sign_in';

const page = (input: Omit<RouteInput, 'auth' | 'answers'> = {}, auth: RouteInput['auth'] = 'console-session') =>
  ({ config: { input: { auth, answers: 'html', ...input } satisfies RouteInput } });
const signInForm = z.object({ username: z.string().max(64), password: z.string().max(256), _csrf: z.string().max(128) });
const signOutForm = z.object({ _csrf: z.string().max(128) });
const signInQuery = z.object({ bye: z.literal('1').optional() });
const assetParams = z.object({ name: z.string().regex(ASSET_NAME) });

const timeOf = (d: Date, zone?: string) => d.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', timeZoneName: 'short', ...(zone ? { timeZone: zone } : {}) });

/**
 * The consoles: sign-in and sign-out, each role's page, and the pages' scripts and stylesheet.
 * Pages are shells their scripts fill from the JSON APIs, which accept the session cookie (with the
 * page's CSRF token on changes; see session-hook.ts).
 */
export const consoleRoutes = (deps: ConsoleDeps & { zone?: string }) => async (app: FastifyInstance) => {
  const assets = createAssetStore();
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies };
  const secure = (request: FastifyRequest) => deps.secureCookies || request.protocol === 'https';

  const sendSignIn = (request: FastifyRequest, reply: FastifyReply, code: number, o: { username?: string; problem?: string; notice?: string } = {}) => {
    const csrf = randomBytes(24).toString('base64url');
    setPageHeaders(reply).setCookie(SIGN_IN_COOKIE, csrf, { ...cookieBase, secure: secure(request), path: '/console/sign-in', maxAge: 3600 });
    return reply.code(code).type('text/html; charset=utf-8')
      .send(renderPage({ title: 'Sign in', insurerName: deps.insurerName, body: signInBody({ csrf, ...o }) }));
  };

  app.get('/console', page({}, 'public'), async (request, reply) => {
    const s = request.consoleSession;
    return setPageHeaders(reply).code(303).header('location', s ? ROLE_HOME[s.user.role].path : '/console/sign-in').send();
  });

  app.get('/console/sign-in', page({ query: signInQuery }, 'public'), async (request, reply) => {
    const s = request.consoleSession;
    if (s) return setPageHeaders(reply).code(303).header('location', ROLE_HOME[s.user.role].path).send();
    const q = signInQuery.safeParse(request.query);
    return sendSignIn(request, reply, 200, q.success && q.data.bye ? { notice: 'You are signed out.' } : {});
  });

  app.post('/console/sign-in', page({ body: signInForm }, 'public'), async (request, reply) => {
    const form = signInForm.safeParse(request.body);
    if (!form.success) return sendSignIn(request, reply, 400, { problem: 'Enter a username and a password.' });
    const expected = request.cookies[SIGN_IN_COOKIE];
    if (!expected || form.data._csrf !== expected) {
      return sendSignIn(request, reply, 403, { username: form.data.username, problem: 'The form had expired. Please sign in again.' });
    }
    const r = await signIn(deps.db, deps.clock, {
      username: form.data.username, password: form.data.password, ip: request.ip, userAgent: request.headers['user-agent'] ?? '',
    });
    if (!r.ok) {
      return r.reason === 'locked'
        ? sendSignIn(request, reply, 429, { username: form.data.username, problem: `Too many wrong passwords: this account is locked until ${timeOf(r.until, deps.zone)}. An admin can unlock it sooner.` })
        : sendSignIn(request, reply, 401, { username: form.data.username, problem: 'Wrong username or password.' });
    }
    return setPageHeaders(reply)
      .clearCookie(SIGN_IN_COOKIE, { path: '/console/sign-in' })
      .setCookie(SESSION_COOKIE, r.cookieValue, { ...cookieBase, secure: secure(request), maxAge: SESSION_LIMITS.absoluteHours * 3600 })
      .code(303).header('location', ROLE_HOME[r.user.role].path).send();
  });

  app.post('/console/sign-out', page({ body: signOutForm }, 'public'), async (request, reply) => {
    const s = request.consoleSession;
    const form = signOutForm.safeParse(request.body);
    setPageHeaders(reply);
    if (s && (!form.success || form.data._csrf !== s.csrfToken)) {
      return reply.code(403).type('text/html; charset=utf-8').send(renderPage({
        title: 'Refused', insurerName: deps.insurerName, user: s.user, csrfToken: s.csrfToken,
        body: html`<section class="card narrow"><h1>Refused</h1><p>That request did not come from this console's own page (its CSRF token did not match). Nothing was changed.</p></section>`,
      }));
    }
    if (s) {
      await endSession(deps.db, deps.clock, request.cookies[SESSION_COOKIE]!);
      await recordSignOut(deps.db, deps.clock, s.user, request.ip);
    }
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(303).header('location', '/console/sign-in?bye=1').send();
  });

  for (const p of Object.values(ROLE_PAGES)) {
    app.get(ROLE_HOME[p.role].path, page(), async (request, reply) => {
      const s = requirePageRole(deps, p.role, request, reply);
      if (!s) return reply;
      return reply.type('text/html; charset=utf-8').send(renderPage({
        title: ROLE_HOME[p.role].title, insurerName: deps.insurerName, user: s.user, csrfToken: s.csrfToken,
        body: await p.body(s, deps), ...(p.script ? { script: p.script } : {}), ...(p.data ? { data: p.data(s.user) } : {}),
      }));
    });
    await p.routes?.(app, deps);
  }

  app.get('/console/assets/:name', page({ params: assetParams }, 'public'), async (request, reply) => {
    const params = assetParams.safeParse(request.params);
    const asset = params.success ? await assets(params.data.name) : null;
    setPageHeaders(reply).header('cache-control', 'no-cache');
    if (!asset) return reply.code(404).send({ error: 'NOT_FOUND', message: 'no such console asset' });
    return reply.type(asset.type).send(asset.body);
  });
};
