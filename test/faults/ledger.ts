import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../src/db/pool.js';
import type { FaultRig, Holder } from './fault-rig.js';

/** What happened to one due, counted where it happened: at the fake Stripe, the fake Twilio, in the database. */
export type DueLedger = { phone: string; status: string; succeededCharges: number; receipts: number; receiptJobs: number; attempts: string[] };

/** Open outbox rows (neither completed nor cancelled), by topic. */
export const openOutbox = async (db: Db): Promise<Record<string, number>> => {
  const { rows } = await db.query<{ topic: string; n: number }>(
    'select topic, count(*)::int as n from outbox where completed_at is null and cancelled_at is null group by topic',
  );
  return Object.fromEntries(rows.map((r) => [r.topic, r.n]));
};

/**
 * Waits until every outbox row has completed (or was cancelled) and no payment attempt is still
 * pending, twice in a row a second apart; throws naming what is still open after `timeoutMs`.
 */
export const settle = async (db: Db, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let last = '';
  while (Date.now() < deadline) {
    const open = await openOutbox(db).catch(() => ({ unreachable: 1 }));
    const pending = await db.query<{ n: number }>("select count(*)::int as n from payment_attempts where status = 'pending'")
      .then((r) => r.rows[0]!.n, () => -1);
    last = JSON.stringify({ open, pendingAttempts: pending });
    quiet = Object.keys(open).length === 0 && pending === 0 ? quiet + 1 : 0;
    if (quiet >= 2) return;
    await sleep(1_000);
  }
  throw new Error(`the gateway did not settle within ${timeoutMs} ms: ${last}`);
};

const RECEIPT = /Confirmation number/;

export const ledgerOf = async (rig: FaultRig, holders: readonly Holder[]): Promise<DueLedger[]> => {
  const charges = rig.stripe.charges();
  const out: DueLedger[] = [];
  for (const h of holders) {
    const due = await rig.db.query<{ status: string }>('select status from premium_dues where id = $1', [h.dueId]);
    const attempts = await rig.db.query<{ status: string }>('select status from payment_attempts where due_id = $1 order by created_at', [h.dueId]);
    const jobs = await rig.db.query<{ n: number }>(
      "select count(*)::int as n from outbox where topic = 'sms.payment-receipt' and payload->>'dueId' = $1", [h.dueId]);
    out.push({
      phone: h.phone,
      status: due.rows[0]!.status,
      succeededCharges: charges.filter((c) => (c.metadata as Record<string, string>).due_id === h.dueId && c.status === 'succeeded').length,
      receipts: rig.carrier.messages.entries.filter((m) => m.to === h.phone && RECEIPT.test(m.body)).length,
      receiptJobs: jobs.rows[0]!.n,
      attempts: attempts.rows.map((a) => a.status),
    });
  }
  return out;
};

/**
 * The promises a fault must not break, per due: charged at most once; paid exactly when charged;
 * a paid due's receipt sent exactly once, an unpaid one's never. Returns the broken ones, described.
 */
export const brokenPromises = (ledger: readonly DueLedger[]): string[] =>
  ledger.flatMap((d) => {
    const why: string[] = [];
    if (d.succeededCharges > 1) why.push(`charged ${d.succeededCharges} times`);
    if ((d.status === 'paid') !== (d.succeededCharges === 1)) why.push(`status ${d.status} with ${d.succeededCharges} charges`);
    if (d.receipts !== (d.status === 'paid' ? 1 : 0)) why.push(`${d.receipts} receipts (from ${d.receiptJobs} receipt jobs) for a ${d.status} due`);
    return why.length ? [`${d.phone}: ${why.join(', ')} (attempts ${d.attempts.join(',') || 'none'})`] : [];
  });

/** Counts for the closing note: dues paid, charges, receipts. */
export const tally = (ledger: readonly DueLedger[]) => ({
  dues: ledger.length,
  paid: ledger.filter((d) => d.status === 'paid').length,
  charges: ledger.reduce((n, d) => n + d.succeededCharges, 0),
  receipts: ledger.reduce((n, d) => n + d.receipts, 0),
});
