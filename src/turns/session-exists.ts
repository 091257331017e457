import type { Db } from '../db/pool.js';

/** Whether a conversation has a session (a call the IVR answered, say), by its session key. */
export const sessionExists = async (db: Db, sessionKey: string): Promise<boolean> =>
  (await db.query('select 1 from flow_sessions where session_key = $1', [sessionKey])).rowCount !== 0;
