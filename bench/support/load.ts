import { createHmac } from 'node:crypto';
import { Pool } from 'undici';

/** Latency samples in ms and a summary. */
export const summarise = (ms: number[], seconds: number) => {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  return { requests: s.length, perSecond: s.length / seconds, p50: q(0.5), p99: q(0.99), max: s[s.length - 1] ?? 0 };
};

/** Twilio's signature (HMAC-SHA1 over URL + sorted params), computed as the carrier would. */
export const twilioSignature = (token: string, url: string, params: Record<string, string>): string => {
  const data = Object.keys(params).sort().reduce((acc, k) => acc + k + params[k], url);
  return createHmac('sha1', token).update(Buffer.from(data, 'utf-8')).digest('base64');
};

export type Poster = {
  post: (path: string, params: Record<string, string>) => Promise<{ status: number; body: string; ms: number }>;
  close: () => Promise<void>;
};

/** An HTTP/1.1 keep-alive pool of `connections` to one origin, signing like Twilio. */
export const createPoster = (origin: string, publicBaseUrl: string, token: string, connections: number): Poster => {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  return {
    post: async (path, params) => {
      const body = new URLSearchParams(params).toString();
      const t0 = performance.now();
      const res = await pool.request({
        method: 'POST',
        path,
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(token, publicBaseUrl + path, params),
        },
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text, ms: performance.now() - t0 };
    },
    close: () => pool.close(),
  };
};

/** Sends each request to the next of several posters in turn (round robin). */
export const spreadRequests = (posters: Poster[]): Poster => {
  let next = 0;
  return {
    post: (path, params) => posters[next++ % posters.length]!.post(path, params),
    close: async () => {
      await Promise.all(posters.map((p) => p.close()));
    },
  };
};

/**
 * Sends every request of one call to the same poster, chosen by its CallSid: a load balancer with
 * call affinity in front of several web processes.
 */
export const routeByCall = (posters: Poster[]): Poster => {
  const pick = (sid: string) => {
    let h = 0;
    for (let i = 0; i < sid.length; i++) h = (h * 31 + sid.charCodeAt(i)) >>> 0;
    return posters[h % posters.length]!;
  };
  return {
    post: (path, params) => pick(params.CallSid ?? '').post(path, params),
    close: async () => {
      await Promise.all(posters.map((p) => p.close()));
    },
  };
};

/**
 * At most `limit` requests in flight; the others wait their turn before being
 * timed, as when Twilio's many live calls share a fixed number of connections.
 */
export const limitInFlight = (poster: Poster, limit: number): Poster => {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  return {
    post: async (path, params) => {
      // A finishing request hands its slot straight to the next waiter, so the limit is never exceeded.
      if (inFlight >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else inFlight++;
      try {
        return await poster.post(path, params);
      } finally {
        const next = waiting.shift();
        if (next) next();
        else inFlight--;
      }
    },
    close: poster.close,
  };
};
