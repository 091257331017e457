import type { Queryable } from '../db/pool.js';

/** The stored snapshot of a conversation's session (as persisted: its `context` among others) and its version (the step its answers carry), or null. */
export const findSessionSnapshot = async (
  db: Queryable, sessionKey: string,
): Promise<{ machineId: string; version: number; snapshot: { context?: unknown; value?: unknown } } | null> => {
  const { rows } = await db.query<{ machine_id: string; version: number; snapshot: { context?: unknown } }>(
    'select machine_id, version, snapshot from flow_sessions where session_key = $1', [sessionKey]);
  return rows[0] ? { machineId: rows[0].machine_id, version: rows[0].version, snapshot: rows[0].snapshot } : null;
};
