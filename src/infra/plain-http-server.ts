import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PlainHttpServer = { url: string; close: () => Promise<void> };

/**
 * A node:http server for an operational side port (the worker's health, the
 * metrics), listening before it resolves; `url` is where a local client
 * reaches it (a wildcard host is reached on loopback). Port 0 picks a free one.
 */
export const listenPlain = async (
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  listen: { port: number; host: string },
): Promise<PlainHttpServer> => {
  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The path of a request, without its query. */
export const pathOf = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0]!;

export const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
