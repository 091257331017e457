import { withTransaction, type Db } from '../db/pool.js';
import type { ContactKind } from './frequency-caps.js';
import type { RecentSend } from './decide-contact.js';
import type { Channel } from './quiet-hours.js';

/** One contact about to be made: the outbox job making it is its key. */
export type ContactEntry = {
  outboxId: string;
  /** Whose caps it counts against: `holder:<id>`, else `phone:<E.164>` (see recipientKeyOf). */
  recipientKey: string;
  channel: Channel;
  kind: ContactKind;
  purpose: string;
  to: string;
};

export const recipientKeyOf = (policyholderId: string | null, phone: string): string =>
  policyholderId ? `holder:${policyholderId}` : `phone:${phone}`;

const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * Decides a contact against this recipient's recent contacts and, when `decide` says to go ahead,
 * logs it before anything leaves, in one transaction holding a lock on the recipient: two jobs for
 * the same person decide one after the other, so the second sees the first and a cap cannot be
 * overrun by concurrency. A decision not to contact now removes what an earlier run of the same
 * job logged. The job's own earlier entry never counts against it.
 */
export const decideAndLog = async <D>(
  db: Db,
  entry: ContactEntry,
  now: Date,
  decide: (recent: RecentSend[]) => D & { proceed: boolean },
): Promise<D & { proceed: boolean }> =>
  withTransaction(db, async (client) => {
    // why: a transaction-scoped advisory lock per recipient; hashtextextended spreads keys over 64 bits.
    await client.query('select pg_advisory_xact_lock(hashtextextended($1, 7))', [entry.recipientKey]);
    const { rows } = await client.query<{ channel: Channel; kind: ContactKind; at: Date }>(
      'select channel, kind, at from contact_log where recipient_key = $1 and at > $2 and outbox_id <> $3',
      [entry.recipientKey, new Date(now.getTime() - WEEK_MS), entry.outboxId],
    );
    const decision = decide(rows);
    if (decision.proceed) {
      await client.query(
        `insert into contact_log (outbox_id, recipient_key, channel, kind, purpose, to_e164, at) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (outbox_id) do update set at = excluded.at`,
        [entry.outboxId, entry.recipientKey, entry.channel, entry.kind, entry.purpose, entry.to, now],
      );
    } else {
      await client.query('delete from contact_log where outbox_id = $1', [entry.outboxId]);
    }
    return decision;
  });

/** A logged contact that reached nobody (the carrier refused it for good) stops counting. */
export const forgetContact = async (db: Db, outboxId: string): Promise<void> => {
  await db.query('delete from contact_log where outbox_id = $1', [outboxId]);
};
