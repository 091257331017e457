import type { Queryable } from '../../db/pool.js';
import { newId } from '../../shared/ids.js';

export type TransferStatus = 'ringing' | 'bridged' | 'no-specialist' | 'abandoned' | 'ended';
export type LegStatus = 'dialing' | 'ringing' | 'answered' | 'accepted' | 'declined' | 'no-answer' | 'busy' | 'failed' | 'cancelled' | 'completed';

/** A leg still waiting for the specialist's answer: ringing them, or answered and hearing the whisper. */
export const OPEN_LEG: readonly LegStatus[] = ['dialing', 'ringing', 'answered'];

export type Transfer = {
  id: string;
  callerCallSid: string;
  /** Whose turns the caller goes back to; 'callback': a booked callback's attempt (the specialist first, then the customer dialled). */
  flow: 'retention' | 'ivr' | 'callback';
  conferenceName: string;
  /** The callback this attempt makes (flow 'callback'), else null. */
  callbackId: string | null;
  policyId: string | null;
  policyholderId: string | null;
  callerPhone: string;
  locale: 'en-US' | 'es-US';
  reason: string;
  priority: boolean;
  context: { reason: string | null; offersMade: string[]; offersDeclined: string[] };
  status: TransferStatus;
  specialistId: string | null;
  requestedAt: Date;
  bridgedAt: Date | null;
  endedAt: Date | null;
  /** A callback's customer leg: their call, and how it went (dialing, ringing, answered, or Twilio's end). */
  customerCallSid: string | null;
  customerStatus: string | null;
};

export type Leg = { id: string; transferId: string; specialistId: string; callSid: string | null; status: LegStatus };

const TRANSFER_COLUMNS = `id, caller_call_sid as "callerCallSid", flow, conference_name as "conferenceName", policy_id as "policyId",
  policyholder_id as "policyholderId", caller_phone as "callerPhone", locale, reason, priority, context, status,
  specialist_id as "specialistId", requested_at as "requestedAt", bridged_at as "bridgedAt", ended_at as "endedAt",
  callback_id as "callbackId", customer_call_sid as "customerCallSid", customer_status as "customerStatus"`;
const LEG_COLUMNS = `id, transfer_id as "transferId", specialist_id as "specialistId", call_sid as "callSid", status`;

/** Records a transfer once per caller's call; returns it (the existing one for a repeat). */
export const createTransfer = async (
  db: Queryable, t: Omit<Transfer, 'id' | 'status' | 'specialistId' | 'bridgedAt' | 'endedAt' | 'callbackId' | 'customerCallSid' | 'customerStatus'> & { callbackId?: string },
): Promise<{ transfer: Transfer; created: boolean }> => {
  const { rows } = await db.query<Transfer & { created: boolean }>(
    `with ins as (
       insert into warm_transfers (id, caller_call_sid, flow, conference_name, policy_id, policyholder_id, caller_phone, locale, reason, priority, context, status, requested_at, callback_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'ringing', $12, $13)
       on conflict (caller_call_sid) do nothing returning ${TRANSFER_COLUMNS})
     select *, true as created from ins
     union all select ${TRANSFER_COLUMNS}, false from warm_transfers where caller_call_sid = $2 and not exists (select 1 from ins)`,
    [newId(), t.callerCallSid, t.flow, t.conferenceName, t.policyId, t.policyholderId, t.callerPhone, t.locale, t.reason, t.priority, JSON.stringify(t.context), t.requestedAt, t.callbackId ?? null],
  );
  const { created, ...transfer } = rows[0]!;
  return { transfer, created };
};

/** A transfer by its id, its caller's call or its conference's name (whichever is given); null when there is none. */
export const findTransfer = async (
  db: Queryable, by: { id: string } | { callerCallSid: string } | { conferenceName: string }, o: { lock?: boolean } = {},
): Promise<Transfer | null> => {
  const [column, value] = 'id' in by ? ['id', by.id] : 'callerCallSid' in by ? ['caller_call_sid', by.callerCallSid] : ['conference_name', by.conferenceName];
  const { rows } = await db.query<Transfer>(`select ${TRANSFER_COLUMNS} from warm_transfers where ${column} = $1${o.lock ? ' for update' : ''}`, [value]);
  return rows[0] ?? null;
};

/** Specialists on a transfer now (being rung, hearing a whisper, or bridged to a caller): not rung for another. */
export const specialistsOnTransfers = async (db: Queryable): Promise<string[]> =>
  (await db.query<{ id: string }>(
    `select distinct l.specialist_id as id from transfer_legs l join warm_transfers t on t.id = l.transfer_id
      where t.status in ('ringing', 'bridged') and l.status in ('dialing', 'ringing', 'answered', 'accepted')`,
  )).rows.map((r) => r.id);

/** Moves a transfer on only from the states given; returns whether it moved (a stale or repeated event does not). */
export const moveTransfer = async (
  db: Queryable, id: string, from: readonly TransferStatus[], to: TransferStatus, at: Date, specialistId?: string,
): Promise<boolean> => {
  const r = await db.query(
    `update warm_transfers set status = $3, specialist_id = coalesce($5, specialist_id),
            bridged_at = case when $3 = 'bridged' then $4 else bridged_at end,
            ended_at = case when $3 in ('no-specialist', 'abandoned', 'ended') then $4 else ended_at end
      where id = $1 and status = any($2::text[])`,
    [id, from, to, at, specialistId ?? null],
  );
  return r.rowCount === 1;
};

export const legsOf = async (db: Queryable, transferId: string): Promise<Leg[]> =>
  (await db.query<Leg>(`select ${LEG_COLUMNS} from transfer_legs where transfer_id = $1 order by created_at`, [transferId])).rows;

export const findLeg = async (db: Queryable, id: string, o: { lock?: boolean } = {}): Promise<Leg | null> =>
  (await db.query<Leg>(`select ${LEG_COLUMNS} from transfer_legs where id = $1${o.lock ? ' for update' : ''}`, [id])).rows[0] ?? null;

export const addLeg = async (db: Queryable, transferId: string, specialistId: string, at: Date): Promise<Leg | null> =>
  (await db.query<Leg>(
    `insert into transfer_legs (id, transfer_id, specialist_id, status, created_at) values ($1, $2, $3, 'dialing', $4)
     on conflict (transfer_id, specialist_id) do nothing returning ${LEG_COLUMNS}`,
    [newId(), transferId, specialistId, at],
  )).rows[0] ?? null;

/** Moves a leg on only from the states given (callbacks come late, twice, out of order); returns whether it moved. */
export const moveLeg = async (db: Queryable, id: string, from: readonly LegStatus[], to: LegStatus, at: Date, callSid?: string): Promise<boolean> => {
  const r = await db.query(
    `update transfer_legs set status = $3, call_sid = coalesce($5, call_sid),
            answered_at = case when $3 in ('answered', 'accepted') then coalesce(answered_at, $4) else answered_at end,
            ended_at = case when $3 in ('declined', 'no-answer', 'busy', 'failed', 'cancelled', 'completed') then $4 else ended_at end
      where id = $1 and status = any($2::text[])`,
    [id, from, to, at, callSid ?? null],
  );
  return r.rowCount === 1;
};
