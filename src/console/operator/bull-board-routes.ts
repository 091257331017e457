import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { AppControllerRoute, AppViewRoute, BullBoardQueues, ControllerHandlerReturnType, IServerAdapter, UIConfig } from '@bull-board/api/typings/app';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteInput } from '../../shared/webhook-edge/route-input.js';
import { requirePageRole, type ConsoleDeps } from '../role-page.js';

/** Where Bull Board is mounted (its page, its static files, its API), behind the operator role. */
export const BULL_BOARD_PATH = '/console/operator/queues';

/**
 * Bull Board's pages only: its own scripts and stylesheets from its static folder (same origin), and
 * inline styles, which its UI injects at run time (the consoles' pages allow none). Scripts stay
 * 'self' only; nothing loads from elsewhere (its template's Google Fonts link is removed).
 */
const BOARD_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "form-action 'none'", "frame-ancestors 'none'", "base-uri 'self'",
].join('; ');

/**
 * @bull-board/api hands its routes to a server adapter. The project's routes must each declare
 * their input (route-input.ts), which @bull-board/fastify's routes do not, so this adapter only
 * collects them; `bullBoardRoutes` registers the read-only ones itself, each declared.
 */
class RouteCollector implements IServerAdapter {
  queues: BullBoardQueues = new Map();
  viewsPath = '';
  staticPath = '';
  entry: AppViewRoute | null = null;
  api: AppControllerRoute[] = [];
  ui: UIConfig = {};
  onError: (error: Error) => ControllerHandlerReturnType = (e) => ({ status: 500, body: { error: e.message } });
  setQueues(q: BullBoardQueues) { this.queues = q; return this; }
  setViewsPath(p: string) { this.viewsPath = p; return this; }
  setStaticPath(_route: string, p: string) { this.staticPath = p; return this; }
  setEntryRoute(r: AppViewRoute) { this.entry = r; return this; }
  setErrorHandler(h: (error: Error) => ControllerHandlerReturnType) { this.onError = h; return this; }
  setApiRoutes(r: AppControllerRoute[]) { this.api = r; return this; }
  setUIConfig(c: UIConfig) { this.ui = c; return this; }
}

const methodsOf = (r: { method: string | string[] }) => ([] as string[]).concat(r.method);
const pathsOf = (r: { route: string | string[] }) => ([] as string[]).concat(r.route);

/** A route's params as zod: each `:name` segment a bounded string. */
const paramsOf = (route: string) => {
  const names = [...route.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  return names.length ? { params: z.object(Object.fromEntries(names.map((n) => [n, z.string().min(1).max(200)]))) } : {};
};
const QUEUES_QUERY = z.object({
  activeQueue: z.string().max(200).optional(), status: z.string().max(40).optional(), page: z.string().max(10).optional(), jobsPerPage: z.string().max(10).optional(),
});
/** A file or folder name of the board's static tree: no separators, no `..` (a name starts with a letter or digit). */
const STATIC_SEGMENT = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/);
const input = (answers: RouteInput['answers'], more: Omit<RouteInput, 'auth' | 'answers'> = {}) =>
  ({ config: { input: { auth: 'console-session', answers, ...more } satisfies RouteInput } });

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.png': 'image/png', '.ico': 'image/x-icon', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.woff': 'font/woff',
};

/** The board's page from its template, less what would load from elsewhere or run inline (fonts CDN, inline loader). */
const renderIndex = (template: string, p: Record<string, string | undefined>): string => {
  const attr = (v: string | undefined) => (v ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return template
    .replace(/<link[^>]*fonts\.googleapis\.com[^>]*>/g, '')
    .replace(/<div id="root">[\s\S]*?<\/style>\s*<\/div>/, '<div id="root"></div>')
    .replace(/<%= (\w+) %>/g, (_m, k: string) => attr(p[k]))
    // why: uiConfig is JSON already escaped by @bull-board (< and > as \u003c, \u003e) for a JSON script element.
    .replace(/<%- uiConfig %>/, p.uiConfig ?? '{}');
};

/**
 * Bull Board, read-only, at /console/operator/queues: its page, static files and GET API, each
 * route declared and each requiring the operator's session. Without a queue (a process that has
 * none) every route answers 404 saying so.
 */
export const bullBoardRoutes = async (app: FastifyInstance, deps: ConsoleDeps) => {
  const board = new RouteCollector();
  const uiBasePath = path.dirname(createRequire(import.meta.url).resolve('@bull-board/ui/package.json'));
  const queue = deps.outboxQueue;
  createBullBoard({
    queues: queue ? [new BullMQAdapter(queue, { readOnlyMode: true })] : [],
    serverAdapter: board,
    options: { uiBasePath, uiConfig: { boardTitle: 'Outbox queue' } },
  });
  const template = readFileSync(path.join(board.viewsPath, 'index.ejs'), 'utf8');
  const staticRoot = path.resolve(board.staticPath);

  /** The operator's session and a queue, or null once the refusal is sent. */
  const admit = (request: FastifyRequest, reply: FastifyReply) => {
    if (!requirePageRole(deps, 'operator', request, reply)) return false;
    reply.header('content-security-policy', BOARD_CSP);
    if (!queue) {
      void reply.code(404).send({ error: 'NO_QUEUE', message: 'no queue board here: this process has no outbox queue (the web process of `npm start` has one)' });
      return false;
    }
    return true;
  };

  app.get(BULL_BOARD_PATH, input('html'), async (request, reply) => {
    if (!admit(request, reply)) return reply;
    return reply.code(303).header('location', `${BULL_BOARD_PATH}/`).send();
  });
  for (const route of pathsOf(board.entry!)) {
    app.get(`${BULL_BOARD_PATH}${route}`, input('html', paramsOf(route)), async (request, reply) => {
      if (!admit(request, reply)) return reply;
      const view = board.entry!.handler({ basePath: `${BULL_BOARD_PATH}/`, uiConfig: board.ui });
      return reply.type('text/html; charset=utf-8').send(renderIndex(template, view.params as Record<string, string>));
    });
  }

  // why three routes, not one wildcard: every route's params are declared and fuzzed by name; the
  // board's static tree is at most three deep (favicon.ico, js/main.js, locales/en-US/messages.json).
  for (const segments of [['file'], ['dir', 'file'], ['dir', 'sub', 'file']]) {
    const params = z.object(Object.fromEntries(segments.map((n) => [n, STATIC_SEGMENT])));
    app.get(`${BULL_BOARD_PATH}/static/${segments.map((n) => `:${n}`).join('/')}`, input('text', { params }), async (request, reply) => {
      if (!admit(request, reply)) return reply;
      const wanted = params.safeParse(request.params);
      const file = wanted.success ? path.resolve(staticRoot, ...segments.map((n) => wanted.data[n] as string)) : '';
      const type = TYPES[path.extname(file)];
      const body = file.startsWith(`${staticRoot}${path.sep}`) && type ? await readFile(file).catch(() => null) : null;
      if (!body) return reply.code(404).send({ error: 'NOT_FOUND', message: 'no such file of the queue board' });
      return reply.type(type!).header('cache-control', 'private, max-age=3600').send(body);
    });
  }

  for (const api of board.api.filter((r) => methodsOf(r).includes('get'))) {
    for (const route of pathsOf(api)) {
      const more = { ...paramsOf(route), ...(route === '/api/queues' ? { query: QUEUES_QUERY } : {}) };
      app.get(`${BULL_BOARD_PATH}${route}`, input('json', more), async (request, reply) => {
        if (!admit(request, reply)) return reply;
        const res = await Promise.resolve(api.handler({
          queues: board.queues, uiConfig: board.ui, params: request.params as Record<string, string>,
          query: (request.query ?? {}) as Record<string, string>, body: {}, headers: request.headers as Record<string, string>,
        })).catch((err: Error) => board.onError(err));
        return reply.code(res.status ?? 200).send(res.body);
      });
    }
  }
};
