import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';

/**
 * Who may call a route: Twilio (signed form), Stripe (signed raw JSON), a compliance or operator bearer
 * token, an operator's or a specialist's ('staff-token'), a specialist's bound to a specialist, a
 * signed-in console user (session cookie; the CSRF token on anything that changes state), or anyone.
 */
export type RouteAuth = 'twilio' | 'stripe' | 'compliance-token' | 'operator-token' | 'staff-token' | 'specialist-token' | 'console-session' | 'public';

/** What a route answers: TwiML a caller hears, TwiML for a text (or nothing), JSON, a page, plain text, or no body. */
export type RouteAnswer = 'call-twiml' | 'sms-twiml' | 'json' | 'html' | 'text' | 'empty';

/**
 * A route's input contract, declared where the route is registered (its `config.input`) with the
 * same zod schemas its handler parses with: the fuzz suite generates valid, boundary and hostile
 * requests from it, and buildApp refuses to register a route without one, so no route escapes fuzzing.
 */
export type RouteInput = {
  auth: RouteAuth;
  answers: RouteAnswer;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    input?: RouteInput;
  }
}

/** A registered route and its declared input. */
export type DeclaredRoute = { method: string; url: string; input: RouteInput };

/**
 * Makes every route registered on `app` from now on (plugins included) declare its input, and lists
 * them: a route without `config.input` fails the app's start, naming it.
 */
export const requireRouteInputs = (app: FastifyInstance): DeclaredRoute[] => {
  const routes: DeclaredRoute[] = [];
  app.addHook('onRoute', (r) => {
    const methods = ([] as string[]).concat(r.method);
    if (methods.every((m) => m === 'HEAD')) return; // Fastify's automatic HEAD twin of a GET route
    const input = r.config?.input;
    if (!input) throw new Error(`route ${methods.join(',')} ${r.url} declares no input (config.input: auth, answers and zod schemas)`);
    for (const method of methods) routes.push({ method, url: r.url, input });
  });
  return routes;
};
