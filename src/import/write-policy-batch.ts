import type { DbClient } from '../db/pool.js';
import { newId } from '../shared/ids.js';
import type { PolicyRow } from './parse-policy-row.js';

/** A validated row waiting to be written, with its line in the file. */
export type BatchItem = { line: number; row: PolicyRow; record: string[] };

/**
 * What the batch did to each row: `inserted` = the policy is new; `updated` =
 * something of the row changed in the database; `unchanged` = nothing did;
 * `rejected` = refused by a check that needs the database.
 */
export type RowOutcome = { status: 'inserted' | 'updated' | 'unchanged' } | { status: 'rejected'; reason: string };

// why: a reinstated policy is in force again and owes premium like an active one.
const OWES_PREMIUM = new Set(['active', 'grace', 'reinstated']);

/** UUIDv7 ids for a whole batch column (newId draws its random bits from a pool). */
const newIds = (n: number): string[] => Array.from({ length: n }, newId);

const refsOf = async (client: DbClient, sql: string, params: unknown[]) =>
  new Set((await client.query<{ k: string }>(sql, params)).rows.map((r) => r.k));

/** Rows whose policy already belongs to another customer: moving policies between holders is not an import's call. */
const findOwnershipConflicts = async (client: DbClient, items: BatchItem[]) => {
  const { rows } = await client.query<{ policy_number: string; external_ref: string }>(
    `select p.policy_number, h.external_ref from policies p join policyholders h on h.id = p.policyholder_id
      where p.policy_number = any($1::text[])`,
    [items.map((i) => i.row.policyNumber)],
  );
  return new Map(rows.map((r) => [r.policy_number, r.external_ref]));
};

const upsertHolders = async (client: DbClient, rows: PolicyRow[], now: Date) => {
  const col = <T>(f: (r: PolicyRow) => T) => rows.map(f);
  return refsOf(
    client,
    `insert into policyholders (id, external_ref, first_name, last_name, email, locale, time_zone,
        preferred_channel, date_of_birth, zip, created_at, updated_at)
     select u.*, $11::timestamptz, $11::timestamptz
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::text[], $9::date[], $10::text[]) as u
     on conflict (external_ref) do update set first_name = excluded.first_name, last_name = excluded.last_name,
        email = excluded.email, locale = excluded.locale, time_zone = excluded.time_zone,
        preferred_channel = excluded.preferred_channel, date_of_birth = excluded.date_of_birth,
        zip = excluded.zip, updated_at = excluded.updated_at
      where (policyholders.first_name, policyholders.last_name, policyholders.email, policyholders.locale,
             policyholders.time_zone, policyholders.preferred_channel, policyholders.date_of_birth, policyholders.zip)
            is distinct from (excluded.first_name, excluded.last_name, excluded.email, excluded.locale,
             excluded.time_zone, excluded.preferred_channel, excluded.date_of_birth, excluded.zip)
     returning external_ref as k`,
    [
      newIds(rows.length), col((r) => r.customerId), col((r) => r.firstName), col((r) => r.lastName),
      col((r) => r.email), col((r) => r.locale), col((r) => r.timeZone), col((r) => r.preferredChannel),
      col((r) => r.dateOfBirth), col((r) => r.zip), now,
    ],
  );
};

/** Adds phones, never removes one: numbers may also have been learnt from calls and texts. */
const upsertPhones = async (client: DbClient, rows: PolicyRow[]) => {
  const refs: string[] = [];
  const phones: string[] = [];
  const labels: string[] = [];
  for (const r of rows) {
    for (const p of r.phones) {
      refs.push(r.customerId);
      phones.push(p.e164);
      labels.push(p.label);
    }
  }
  return refsOf(
    client,
    `with w as (
       insert into policyholder_phones (policyholder_id, phone_e164, label)
       select h.id, u.phone, u.label
         from unnest($1::text[], $2::text[], $3::text[]) as u(ref, phone, label)
         join policyholders h on h.external_ref = u.ref
       on conflict (policyholder_id, phone_e164) do update set label = excluded.label
        where policyholder_phones.label is distinct from excluded.label
       returning policyholder_id)
     select distinct h.external_ref as k from w join policyholders h on h.id = w.policyholder_id`,
    [refs, phones, labels],
  );
};

type ConsentInput = { ref: string; phone: string; channel: 'sms' | 'voice'; granted: boolean; source: string; at: Date | null };

/**
 * Consent is legal evidence, so the file does not simply overwrite it:
 * a number with no consent row gets the file's answer; a stored answer is
 * replaced only by a newer, different one. A revocation without a time is
 * dated now (revoking is always safe); a grant over a stored revocation
 * needs an explicit, later `consent_at` (a re-run of an old export must not
 * undo a STOP texted since). Blank consent cells never reach this function.
 */
const upsertConsents = async (client: DbClient, consents: ConsentInput[], now: Date) => {
  if (!consents.length) return new Set<string>();
  return refsOf(
    client,
    `with w as (
       insert into consents (phone_e164, channel, granted, source, recorded_at, policyholder_id)
       select u.phone, u.channel, u.granted, u.source, coalesce(u.at, $7::timestamptz), h.id
         from unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::text[], $6::timestamptz[])
              as u(ref, phone, channel, granted, source, at)
         join policyholders h on h.external_ref = u.ref
         left join consents c on c.phone_e164 = u.phone and c.channel = u.channel
        where c.phone_e164 is null
           or (c.granted <> u.granted and coalesce(u.at, $7::timestamptz) > c.recorded_at
               and (not u.granted or u.at is not null))
       on conflict (phone_e164, channel) do update set granted = excluded.granted, source = excluded.source,
          recorded_at = excluded.recorded_at, policyholder_id = excluded.policyholder_id
       returning policyholder_id)
     select distinct h.external_ref as k from w join policyholders h on h.id = w.policyholder_id`,
    [
      consents.map((c) => c.ref), consents.map((c) => c.phone), consents.map((c) => c.channel),
      consents.map((c) => c.granted), consents.map((c) => c.source), consents.map((c) => c.at), now,
    ],
  );
};

/** One answer per number and channel in a batch; if rows disagree, "no" wins (the safe reading). */
const consentsOf = (rows: PolicyRow[]): ConsentInput[] => {
  const byKey = new Map<string, ConsentInput>();
  for (const r of rows) {
    const phone = r.phones[0]?.e164;
    if (!phone) continue;
    for (const [channel, granted] of [['sms', r.smsConsent], ['voice', r.voiceConsent]] as const) {
      if (granted === null) continue;
      const key = `${phone}|${channel}`;
      if (byKey.get(key)?.granted === false) continue;
      byKey.set(key, { ref: r.customerId, phone, channel, granted, source: r.consentSource, at: r.consentAt });
    }
  }
  return [...byKey.values()];
};

const upsertPolicies = async (client: DbClient, rows: PolicyRow[], now: Date) => {
  const col = <T>(f: (r: PolicyRow) => T) => rows.map(f);
  const { rows: out } = await client.query<{ k: string; inserted: boolean }>(
    `insert into policies (id, policy_number, policyholder_id, product, coverage_tier, sum_insured_cents,
        premium_cents, currency, billing_frequency, next_due_date, paid_to_date, status, created_at, updated_at)
     select u.id, u.num, h.id, u.product, u.tier, u.sum, u.premium, u.currency, u.freq, u.due, u.paid, u.status,
            $12::timestamptz, $12::timestamptz
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                   $8::text[], $9::text[], $10::date[], $11::date[], $13::text[])
            as u(id, num, ref, product, tier, sum, premium, currency, freq, due, paid, status)
       join policyholders h on h.external_ref = u.ref
     on conflict (policy_number) do update set product = excluded.product, coverage_tier = excluded.coverage_tier,
        sum_insured_cents = excluded.sum_insured_cents, premium_cents = excluded.premium_cents,
        currency = excluded.currency, billing_frequency = excluded.billing_frequency,
        next_due_date = excluded.next_due_date, paid_to_date = excluded.paid_to_date, status = excluded.status,
        updated_at = excluded.updated_at
      where (policies.product, policies.coverage_tier, policies.sum_insured_cents, policies.premium_cents,
             policies.currency, policies.billing_frequency, policies.next_due_date, policies.paid_to_date,
             policies.status)
            is distinct from (excluded.product, excluded.coverage_tier, excluded.sum_insured_cents,
             excluded.premium_cents, excluded.currency, excluded.billing_frequency, excluded.next_due_date,
             excluded.paid_to_date, excluded.status)
     returning policy_number as k, (xmax = 0) as inserted`,
    [
      newIds(rows.length), col((r) => r.policyNumber), col((r) => r.customerId), col((r) => r.product),
      col((r) => r.coverageTier), col((r) => r.sumInsuredCents), col((r) => r.premiumCents), col((r) => r.currency),
      col((r) => r.billingFrequency), col((r) => r.nextDueDate), col((r) => r.paidToDate), now, col((r) => r.status),
    ],
  );
  return {
    inserted: new Set(out.filter((r) => r.inserted).map((r) => r.k)),
    updated: new Set(out.filter((r) => !r.inserted).map((r) => r.k)),
  };
};

/**
 * The open due for `next_due_date` of a policy that owes premium. An existing
 * due is corrected only while still open: a paid or failed due is history.
 */
const upsertDues = async (client: DbClient, rows: PolicyRow[], now: Date) => {
  const due = rows.filter((r) => OWES_PREMIUM.has(r.status) && r.nextDueDate !== null && r.premiumCents > 0);
  if (!due.length) return new Set<string>();
  return refsOf(
    client,
    `with w as (
       insert into premium_dues (id, policy_id, due_date, amount_cents, currency, status, created_at)
       select u.id, p.id, u.due, u.amount, u.currency, 'open', $6::timestamptz
         from unnest($1::uuid[], $2::text[], $3::date[], $4::bigint[], $5::text[]) as u(id, num, due, amount, currency)
         join policies p on p.policy_number = u.num
       on conflict (policy_id, due_date) do update set amount_cents = excluded.amount_cents, currency = excluded.currency
        where premium_dues.status = 'open'
          and (premium_dues.amount_cents, premium_dues.currency) is distinct from (excluded.amount_cents, excluded.currency)
       returning policy_id)
     select p.policy_number as k from w join policies p on p.id = w.policy_id`,
    [newIds(due.length), due.map((r) => r.policyNumber), due.map((r) => r.nextDueDate),
      due.map((r) => r.premiumCents), due.map((r) => r.currency), now],
  );
};

/**
 * Writes one batch inside the caller's transaction, a handful of multi-row
 * statements whatever the batch size. `holderWritten` says which customers
 * already had their holder columns written in this run: holder columns come
 * from a customer's first accepted row, later rows only add policies.
 */
export const writePolicyBatch = async (
  client: DbClient,
  items: BatchItem[],
  { now, holderWritten }: { now: Date; holderWritten: Set<string> },
): Promise<RowOutcome[]> => {
  // why: every statement below is a keyed lookup of at most one batch of rows,
  // but right after a bulk load the tables have no statistics and the planner
  // picks sequential scans and hash joins over the whole table: measured 25-40 ms
  // per statement at 64k holders against 1-2 ms by index, i.e. an import that
  // slows down as it grows. Scoped to this transaction only.
  await client.query('set local enable_seqscan = off; set local enable_hashjoin = off; set local enable_mergejoin = off');
  const owners = await findOwnershipConflicts(client, items);
  const outcomes: (RowOutcome | undefined)[] = items.map((i) => {
    const owner = owners.get(i.row.policyNumber);
    return owner !== undefined && owner !== i.row.customerId
      ? { status: 'rejected', reason: `policy_number: ${i.row.policyNumber} belongs to customer ${owner} in the database` }
      : undefined;
  });
  const accepted = items.filter((_, n) => outcomes[n] === undefined);
  const holderRows = new Map<string, PolicyRow>();
  for (const { row } of accepted) {
    if (!holderWritten.has(row.customerId) && !holderRows.has(row.customerId)) holderRows.set(row.customerId, row);
  }
  const holders = [...holderRows.values()];
  const changedHolders = await upsertHolders(client, holders, now);
  for (const ref of await upsertPhones(client, holders)) changedHolders.add(ref);
  for (const ref of await upsertConsents(client, consentsOf(holders), now)) changedHolders.add(ref);
  const policies = await upsertPolicies(client, accepted.map((i) => i.row), now);
  const changedDues = await upsertDues(client, accepted.map((i) => i.row), now);
  for (const ref of holderRows.keys()) holderWritten.add(ref);

  return items.map((item, n) => {
    const done = outcomes[n];
    if (done) return done;
    const { policyNumber, customerId } = item.row;
    if (policies.inserted.has(policyNumber)) return { status: 'inserted' };
    const holderChanged = holderRows.get(customerId) === item.row && changedHolders.has(customerId);
    if (policies.updated.has(policyNumber) || changedDues.has(policyNumber) || holderChanged) return { status: 'updated' };
    return { status: 'unchanged' };
  });
};
