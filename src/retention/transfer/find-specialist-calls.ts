import type { Queryable } from '../../db/pool.js';

/** A transfer or callback attempt that concerns a specialist now: ringing them (not yet accepted), or bridged to them. */
export type SpecialistCall = {
  transferId: string;
  kind: 'transfer' | 'callback';
  /** `ringing`: their phone rings or plays the whisper (before they accept); `connected`: they accepted it. */
  state: 'ringing' | 'connected';
  requestedAt: Date;
};

/**
 * The calls that concern a specialist at this moment, oldest first: each transfer (or callback
 * attempt) whose leg to them is still open while it rings, and each one bridged to them. What a
 * specialist's screen pops before they pick up; read often, so only live transfers are read.
 */
export const findSpecialistCalls = async (db: Queryable, specialistId: string): Promise<SpecialistCall[]> =>
  (await db.query<SpecialistCall>(
    `select t.id as "transferId", case when t.flow = 'callback' then 'callback' else 'transfer' end as kind,
            case when t.status = 'bridged' then 'connected' else 'ringing' end as state, t.requested_at as "requestedAt"
       from warm_transfers t join transfer_legs l on l.transfer_id = t.id and l.specialist_id = $1
      where (t.status = 'ringing' and l.status in ('dialing', 'ringing', 'answered'))
         or (t.status = 'bridged' and t.specialist_id = $1)
      order by t.requested_at, t.id`,
    [specialistId],
  )).rows;
