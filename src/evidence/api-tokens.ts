import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';

export type ApiRole = 'compliance' | 'specialist' | 'operator';
/** Who a valid token speaks for; `specialistId`: the retention specialist a specialist token is bound to, else null. */
export type ApiPrincipal = {
  id: string; name: string; role: ApiRole; specialistId: string | null;
  /** 'console': a person signed in to the consoles (their session cookie, CSRF-checked), not a bearer token. */
  via?: 'console';
};

/**
 * What an API request shows of its caller: the Authorization header, and the signed-in console user
 * the console's session hook found (src/console), if any. A bearer token wins over a session.
 */
export type ApiCaller = { headers: { authorization?: string | undefined }; sessionPrincipal?: ApiPrincipal | null };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the console's session hook for a request carrying a live session cookie (null otherwise). */
    sessionPrincipal?: ApiPrincipal | null;
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Creates a bearer token; only its SHA-256 is stored, so the token is shown once, here. A specialist
 * token may be bound to a retention specialist (`specialistId`, checked by the database: it must exist,
 * and only specialist tokens are bound).
 */
export const createApiToken = async (
  db: Db, clock: Clock, o: { name: string; role: ApiRole; specialistId?: string | null },
): Promise<{ id: string; token: string }> => {
  const id = newId();
  const token = `gwk_${randomBytes(24).toString('base64url')}`;
  await db.query('insert into api_tokens (id, name, role, token_hash, created_at, specialist_id) values ($1, $2, $3, $4, $5, $6)', [
    id, o.name, o.role, hashToken(token), clock.now(), o.specialistId ?? null,
  ]);
  return { id, token };
};

/** Why a request may not go on: no valid token (401), or a token of another role (403), in words for the caller. */
export type RoleRefusal = { refused: 'unauthenticated' | 'forbidden'; message: string };

/**
 * The principal behind the header when its role is `role` (or one of them), else why not: a missing or invalid
 * token (unauthenticated) or another role (forbidden, with `forbidden(role)` as the message).
 * Each API maps the refusal to its own error codes.
 */
export const checkBearerRole = async (
  db: Db, caller: ApiCaller, role: ApiRole | readonly ApiRole[], forbidden: (role: ApiRole) => string,
): Promise<ApiPrincipal | RoleRefusal> => {
  const header = caller.headers.authorization;
  const p = !header && caller.sessionPrincipal ? caller.sessionPrincipal : await authenticate(db, header);
  if (p === 'missing') return { refused: 'unauthenticated', message: 'a bearer token is required (Authorization: Bearer gwk_...), or a console session' };
  if (p === 'invalid') return { refused: 'unauthenticated', message: 'the bearer token is not valid (unknown or revoked)' };
  return ([] as ApiRole[]).concat(role).includes(p.role) ? p : { refused: 'forbidden', message: forbidden(p.role) };
};

/**
 * The principal behind an `Authorization: Bearer ...` header; 'missing' when
 * there is no bearer token, 'invalid' for one that is unknown or revoked.
 */
export const authenticate = async (db: Db, header: string | undefined): Promise<ApiPrincipal | 'missing' | 'invalid'> => {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) return 'missing';
  const { rows } = await db.query<ApiPrincipal>(
    'select id, name, role, specialist_id as "specialistId" from api_tokens where token_hash = $1 and revoked_at is null',
    [hashToken(m[1]!)],
  );
  return rows[0] ?? 'invalid';
};
