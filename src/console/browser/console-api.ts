// The pages' one way to the gateway's JSON APIs: same-origin, with the session cookie, and the page's
// CSRF token on every request (the server requires it on anything that changes state).

export const csrfToken = (): string => document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

/** A refusal from an API, with its reason as the API worded it. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Calls an API; an expired session goes back to the sign-in page. */
export const api = async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json', 'x-csrf-token': csrfToken() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, credentials: 'same-origin', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.status === 401) {
    window.location.assign('/console/sign-in');
    throw new ApiError(401, 'UNAUTHENTICATED', 'your session has ended: sign in again');
  }
  const data = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!res.ok) throw new ApiError(res.status, data.error ?? 'ERROR', data.message ?? `${method} ${path} answered ${res.status}`);
  return data as T;
};

/** A query string from the set values of an object. */
export const query = (o: Record<string, string | number | undefined | null>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};
