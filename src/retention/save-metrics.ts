import type { Queryable } from '../db/pool.js';

/** Days a kept policy must stay uncancelled after its case was decided to count as saved. */
export const SAVED_AFTER_DAYS = 30;

export type SaveRow = { key: string; cases: number; decided: number; saved: number; lost: number; pending: number; saveRate: number | null };

/**
 * Retention figures over cases decided in [from, to): save rate by reason and by the offer accepted,
 * the warm transfers' time to a specialist and hold abandonment. A case kept (an offer accepted, the
 * cover explained) counts as saved once 30 days have passed without the policy being cancelled; one
 * cancelled since is lost; one younger than 30 days is pending and left out of the rate.
 */
export type SaveMetrics = {
  from: string;
  to: string;
  savedAfterDays: number;
  total: SaveRow;
  byReason: SaveRow[];
  byOffer: SaveRow[];
  transfers: {
    requested: number;
    bridged: number;
    abandonedOnHold: number;
    noSpecialist: number;
    /** Seconds from the caller being put on hold to a specialist accepting (bridged transfers). */
    secondsToBridge: { median: number | null; p90: number | null };
  };
};

const CASES = `
  with c as (
    select coalesce(r.reason, 'unknown') as reason, r.outcome, coalesce(r.offer->>'kind', 'none') as offer, r.outcome_at, r.policy_id,
           exists (select 1 from cancellation_requests later
                    where later.policy_id = r.policy_id and later.outcome = 'cancelled'
                      and later.outcome_at > r.outcome_at and later.outcome_at <= r.outcome_at + make_interval(days => $3)) as cancelled_since,
           r.outcome_at + make_interval(days => $3) <= $4 as matured
      from cancellation_requests r
     where r.outcome is not null and r.outcome <> 'not-applied' and r.outcome_at >= $1 and r.outcome_at < $2)
  select {KEY} as key, count(*)::int as decided,
         count(*) filter (where outcome <> 'cancelled' and matured and not cancelled_since)::int as saved,
         count(*) filter (where outcome = 'cancelled' or cancelled_since)::int as lost,
         count(*) filter (where outcome <> 'cancelled' and not matured and not cancelled_since)::int as pending
    from c group by 1 order by 1`;

const row = (r: { key: string; decided: number; saved: number; lost: number; pending: number }): SaveRow => ({
  key: r.key, cases: r.decided, decided: r.decided, saved: r.saved, lost: r.lost, pending: r.pending,
  saveRate: r.saved + r.lost > 0 ? Math.round((r.saved / (r.saved + r.lost)) * 10_000) / 10_000 : null,
});

/** The retention figures for cases decided in [from, to), as of `now` (see SaveMetrics). */
export const findSaveMetrics = async (db: Queryable, range: { from: Date; to: Date; now: Date }): Promise<SaveMetrics> => {
  const params = [range.from, range.to, SAVED_AFTER_DAYS, range.now];
  type Raw = { key: string; decided: number; saved: number; lost: number; pending: number };
  const [byReason, byOffer, total, transfers] = await Promise.all([
    db.query<Raw>(CASES.replace('{KEY}', 'reason'), params),
    db.query<Raw>(CASES.replace('{KEY}', 'offer'), params),
    db.query<Raw>(CASES.replace('{KEY}', `'all'`), params),
    db.query<{ requested: number; bridged: number; abandoned: number; none: number; median: number | null; p90: number | null }>(
      `select count(*)::int as requested,
              count(*) filter (where bridged_at is not null)::int as bridged,
              count(*) filter (where status = 'abandoned')::int as abandoned,
              count(*) filter (where status = 'no-specialist')::int as none,
              percentile_cont(0.5) within group (order by extract(epoch from bridged_at - requested_at)) filter (where bridged_at is not null) as median,
              percentile_cont(0.9) within group (order by extract(epoch from bridged_at - requested_at)) filter (where bridged_at is not null) as p90
         from warm_transfers where requested_at >= $1 and requested_at < $2`,
      [range.from, range.to],
    ),
  ]);
  const t = transfers.rows[0]!;
  return {
    from: range.from.toISOString(), to: range.to.toISOString(), savedAfterDays: SAVED_AFTER_DAYS,
    total: row(total.rows[0] ?? { key: 'all', decided: 0, saved: 0, lost: 0, pending: 0 }),
    byReason: byReason.rows.map(row),
    byOffer: byOffer.rows.map(row),
    transfers: {
      requested: t.requested, bridged: t.bridged, abandonedOnHold: t.abandoned, noSpecialist: t.none,
      secondsToBridge: { median: t.median === null ? null : Math.round(t.median), p90: t.p90 === null ? null : Math.round(t.p90) },
    },
  };
};
