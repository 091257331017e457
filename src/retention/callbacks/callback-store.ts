import type { Queryable } from '../../db/pool.js';

export type CallbackStatus = 'open' | 'done' | 'missed' | 'cancelled';

/** A callback a customer booked: who to call, about what, when, and how the attempts went. */
export type Callback = {
  id: string;
  phone: string;
  policyholderId: string | null;
  policyId: string | null;
  reason: string;
  locale: 'en-US' | 'es-US';
  /** The call (CallSid) or text (MessageSid) that booked it. */
  sourceRef: string | null;
  requestedAt: Date;
  status: CallbackStatus;
  /** When it is to be made; null when no specialist was on shift in the horizon (called during business hours). */
  slotAt: Date | null;
  attempts: number;
  lastOutcome: string | null;
  closedAt: Date | null;
};

export const CALLBACK_COLUMNS = `id, phone_e164 as phone, policyholder_id as "policyholderId", policy_id as "policyId", reason,
  locale, source_ref as "sourceRef", requested_at as "requestedAt", status, slot_at as "slotAt", attempts,
  last_outcome as "lastOutcome", closed_at as "closedAt"`;

export const findCallback = async (db: Queryable, id: string, o: { lock?: boolean } = {}): Promise<Callback | null> =>
  (await db.query<Callback>(`select ${CALLBACK_COLUMNS} from callback_requests where id = $1${o.lock ? ' for update' : ''}`, [id])).rows[0] ?? null;

/** The slots open callbacks hold from `from` on (one entry per callback). */
export const bookedSlots = async (db: Queryable, from: Date): Promise<Date[]> =>
  (await db.query<{ slot_at: Date }>(`select slot_at from callback_requests where status = 'open' and slot_at >= $1`, [from])).rows.map((r) => r.slot_at);

export const setSlot = async (db: Queryable, id: string, slotAt: Date | null): Promise<void> => {
  await db.query('update callback_requests set slot_at = $2 where id = $1', [id, slotAt]);
};

/** Counts attempt `n` as begun, once (a repeated job run finds it begun); only while the callback is open. */
export const beginAttempt = async (db: Queryable, id: string, n: number): Promise<boolean> =>
  (await db.query(`update callback_requests set attempts = $2 where id = $1 and status = 'open' and attempts = $2 - 1`, [id, n])).rowCount === 1;

/** Notes how the latest attempt went, and closes the callback as done or missed (only an open one). */
export const noteAttempt = async (
  db: Queryable, id: string, outcome: string, close: 'done' | 'missed' | null, at: Date,
): Promise<boolean> =>
  (await db.query(
    `update callback_requests set last_outcome = $2, status = coalesce($3, status), closed_at = case when $3 is null then closed_at else $4 end
      where id = $1 and status = 'open'`,
    [id, outcome, close, at],
  )).rowCount === 1;

/** Callbacks by status and booking time, newest first, for the report. */
export const listCallbacks = async (
  db: Queryable, f: { status: CallbackStatus | null; from: Date; to: Date; limit: number },
): Promise<Callback[]> =>
  (await db.query<Callback>(
    `select ${CALLBACK_COLUMNS} from callback_requests
      where requested_at >= $1 and requested_at < $2 and ($3::text is null or status = $3)
      order by requested_at desc, id limit $4`,
    [f.from, f.to, f.status, f.limit],
  )).rows;

/** The interaction a callback was booked in (its attempts' evidence goes there); null when none was recorded. */
export const callbackInteractionId = async (db: Queryable, id: string): Promise<string | null> =>
  (await db.query<{ interaction_id: string | null }>('select interaction_id from callback_requests where id = $1', [id])).rows[0]?.interaction_id ?? null;
