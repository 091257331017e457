import type { Db } from '../db/pool.js';
import { GENESIS_HASH } from '../evidence/hash-chain.js';
import { insertInteractionsSql } from '../evidence/interactions.js';
import { insertTaggedOutboxSql, outboxRow, taggedOutboxParams, type OutboxRow } from '../jobs/outbox-rows.js';
import { newId } from '../shared/ids.js';
import { dueCorrelation, NOTICE_RULES, type NoticeKind } from './notice-kinds.js';
import { sendNoticeJob } from './send-notice.job.js';

/** One notice to queue: about which policy (and due), for whom, when. */
export type NoticeToQueue = {
  notice: NoticeKind;
  policyId: string;
  policyholderId: string;
  dueId: string | null;
  /** The number it is expected to go to (the interaction's `to`; the handler reads it again when sending). */
  to: string | null;
  runAt: Date;
  /** Scheduled reminders: the holder's day it is for; a second notice of the same kind, due and day is not queued. */
  remindOn?: string;
};

/** The interaction kind of a notice's evidence chain: one interaction per notice job. */
export const NOTICE_INTERACTION = 'notice';

/**
 * Queues notices in one statement: for each, a notice_jobs row, its own interaction (kind
 * 'notice', outbound, on the policy and its holder, so compliance finds it on the policy's
 * timeline) and its `notices.send` outbox row on that interaction, correlated `due:<id>` when it
 * is about an open due. A scheduled reminder already queued for its due and day is skipped with
 * its interaction and outbox row (the unique index on notice_jobs decides, across processes).
 * Returns the outbox rows written, for the caller to dispatch after commit.
 */
export const queueNotices = async (
  db: Db,
  o: { now: Date; from: string; batchId: string | null; notices: readonly NoticeToQueue[] },
): Promise<OutboxRow[]> => {
  if (o.notices.length === 0) return [];
  const rows = o.notices.map((n) => ({
    n,
    interactionId: newId(),
    row: outboxRow(sendNoticeJob, {
      notice: n.notice, policyId: n.policyId, ...(n.dueId ? { dueId: n.dueId } : {}), ...(o.batchId ? { batchId: o.batchId } : {}),
    }, { runAt: n.runAt, correlation: n.dueId && NOTICE_RULES[n.notice].due === 'open' ? dueCorrelation(n.dueId) : null }),
  }));
  const outbox = taggedOutboxParams(rows.map((r) => ({ rows: [r.row], interactionId: r.interactionId })));
  const p = 12;
  const { rows: written } = await db.query<{ outbox_id: string }>(
    `with nj as (
       insert into notice_jobs (outbox_id, interaction_id, batch_id, kind, policy_id, due_id, remind_on, created_at)
       select u.*, $1::timestamptz from unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::uuid[], $8::uuid[], $9::date[])
         as u(outbox_id, interaction_id, batch_id, kind, policy_id, due_id, remind_on)
       on conflict do nothing returning outbox_id, interaction_id),
     kept as (select (u.i - 1)::int as i from unnest($3::uuid[]) with ordinality as u(id, i) where u.id in (select outbox_id from nj)),
     ix as (${insertInteractionsSql(`
       select u.id, '${NOTICE_INTERACTION}', null, 'outbound', $2::text, u.to_e164, u.holder, u.policy, $1::timestamptz, 'queued', 0, '${GENESIS_HASH}'
         from unnest($4::uuid[], $10::text[], $11::uuid[], $7::uuid[]) as u(id, to_e164, holder, policy)
        where u.id in (select interaction_id from nj)`)} returning 1),
     ob as (${insertTaggedOutboxSql(p, 1, 'kept')} returning 1)
     select outbox_id from nj`,
    [
      o.now, o.from,
      rows.map((r) => r.row.id), rows.map((r) => r.interactionId), rows.map(() => o.batchId), rows.map((r) => r.n.notice),
      rows.map((r) => r.n.policyId), rows.map((r) => r.n.dueId), rows.map((r) => r.n.remindOn ?? null),
      rows.map((r) => r.n.to), rows.map((r) => r.n.policyholderId),
      ...outbox,
    ],
  );
  const kept = new Set(written.map((w) => w.outbox_id));
  return rows.filter((r) => kept.has(r.row.id)).map((r) => r.row);
};
