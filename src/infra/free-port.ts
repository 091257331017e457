import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';

/** Resolves true when nothing listens on `host:port` (we could bind it). */
export const isPortFree = (port: number, host = '127.0.0.1'): Promise<boolean> =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });

/**
 * Asks the kernel for a free port on `host`. There is a short window between
 * closing our probe and the server binding it; callers surface the server's
 * own "address in use" error if another process wins that race.
 */
export const findFreePort = (host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('kernel gave no port'))));
    });
  });

/**
 * Picks a port for a private server and remembers it in `stateFile`, so a
 * restart reuses the same port when it is still free (stable URLs in logs and
 * in a developer's psql/redis-cli history), and takes a fresh one otherwise.
 */
export const chooseRememberedPort = async (stateFile: string, host = '127.0.0.1'): Promise<number> => {
  const saved = Number.parseInt(await readFile(stateFile, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(saved) && saved > 0 && saved < 65536 && (await isPortFree(saved, host))) return saved;
  const port = await findFreePort(host);
  await writeFile(stateFile, `${port}\n`);
  return port;
};
