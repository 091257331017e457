import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';

/** A request the test server received, with the outcome of its signature check. */
export type ReceivedRequest = {
  method: string;
  path: string;
  /** Path plus query string, as received. */
  url: string;
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  signatureValid: boolean;
};

/** What a route answers: TwiML text (200, text/xml) or a full response. */
export type TestAnswer = string | { status: number; body: string; contentType?: string };

/** Route handler: gets the request, returns the answer. */
export type TestRoute = (req: ReceivedRequest) => TestAnswer | Promise<TestAnswer>;

/** A running test server standing in for the gateway. */
export type TwimlTestServer = {
  app: FastifyInstance;
  /** Address it listens on (`http://127.0.0.1:<port>`). */
  gatewayUrl: string;
  publicBaseUrl: string;
  received: ReceivedRequest[];
  /** Requests received on one path. */
  on: (path: string) => ReceivedRequest[];
  close: () => Promise<void>;
};

/**
 * A small Fastify server that checks `X-Twilio-Signature` with
 * `validateRequest(token, signature, publicBaseUrl + url, body)` (answering
 * 403 on a bad signature, like the gateway) and answers each path from `routes`.
 * Unknown paths answer an empty `<Response/>`.
 */
export const startTwimlTestServer = async (options: {
  authToken: string;
  publicBaseUrl: string;
  routes: Record<string, TestRoute>;
}): Promise<TwimlTestServer> => {
  const app = Fastify();
  await app.register(formbody);
  const received: ReceivedRequest[] = [];
  const handler = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    const url = request.url;
    const path = url.split('?')[0] ?? url;
    const isGet = request.method === 'GET';
    const params = (isGet ? request.query : request.body ?? {}) as Record<string, string>;
    const signature = String(request.headers['x-twilio-signature'] ?? '');
    const signatureValid = validateRequest(options.authToken, signature, options.publicBaseUrl + url, isGet ? {} : params);
    const entry: ReceivedRequest = { method: request.method, path, url, params, headers: request.headers, signatureValid };
    received.push(entry);
    if (!signatureValid) return reply.code(403).type('text/plain').send('bad signature');
    const route = options.routes[path];
    const answer: TestAnswer = route ? await route(entry) : '<Response/>';
    if (typeof answer === 'string') return reply.type('text/xml').send(answer);
    return reply.code(answer.status).type(answer.contentType ?? 'text/xml').send(answer.body);
  };
  app.route({ method: ['GET', 'POST'], url: '/*', handler });
  const gatewayUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    gatewayUrl,
    publicBaseUrl: options.publicBaseUrl,
    received,
    on: (path) => received.filter((r) => r.path === path),
    close: () => app.close(),
  };
};
