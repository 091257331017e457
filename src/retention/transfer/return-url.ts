import { RETENTION_TURN_PATH, VOICE_TURN_PATH } from '../../ivr/render-voice-turn.js';
import type { Queryable } from '../../db/pool.js';
import { findSessionSnapshot } from '../../turns/find-session-snapshot.js';
import type { Transfer } from './transfer-store.js';

/** Each flow that puts callers on hold: its session key prefix and its turn webhook. */
const FLOWS = {
  retention: { prefix: 'retention', path: RETENTION_TURN_PATH },
  ivr: { prefix: 'call', path: VOICE_TURN_PATH },
} as const;

/**
 * Where a caller goes back to when the wait ends without a bridge: the turn their flow rendered the
 * wait in (its Dial action), so the flow carries on as if the wait ended there. Null when the flow
 * has no session (nothing to return to), and for a callback's attempt (nobody holds: the specialist is rung first).
 */
export const returnUrlOf = async (db: Queryable, t: Pick<Transfer, 'flow' | 'callerCallSid'>): Promise<string | null> => {
  if (t.flow === 'callback') return null;
  const flow = FLOWS[t.flow];
  const session = await findSessionSnapshot(db, `${flow.prefix}:${t.callerCallSid}`);
  return session ? `${flow.path}?step=${session.version}&expect=transfer` : null;
};
