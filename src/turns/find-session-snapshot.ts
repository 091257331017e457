import type { Db } from '../db/pool.js';

/** The stored snapshot of a conversation's session (as persisted: its `context` among others), or null. */
export const findSessionSnapshot = async (db: Db, sessionKey: string): Promise<{ machineId: string; snapshot: { context?: unknown; value?: unknown } } | null> => {
  const { rows } = await db.query<{ machine_id: string; snapshot: { context?: unknown } }>(
    'select machine_id, snapshot from flow_sessions where session_key = $1', [sessionKey]);
  return rows[0] ? { machineId: rows[0].machine_id, snapshot: rows[0].snapshot } : null;
};
