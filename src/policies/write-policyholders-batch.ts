import type { DbClient } from '../db/pool.js';
import { newId } from '../shared/ids.js';

/** A policyholder as an import writes it, keyed by the insurer's customer id (stored as external_ref). */
export type PolicyholderInput = {
  customerId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  locale: string;
  timeZone: string | null;
  preferredChannel: string;
  dateOfBirth: string | null;
  zip: string | null;
  phones: { e164: string; label: string }[];
};

/** UUIDv7 ids for a whole batch column (newId draws its random bits from a pool). */
export const newIds = (n: number): string[] => Array.from({ length: n }, newId);

/**
 * Inserts or updates policyholders (one statement) and returns, by external ref, every one's id and
 * whether anything of it changed. Rows that already match are left untouched.
 */
const upsertHolders = async (client: DbClient, rows: readonly PolicyholderInput[], now: Date) => {
  const col = <T>(f: (r: PolicyholderInput) => T) => rows.map(f);
  const { rows: out } = await client.query<{ k: string; id: string; changed: boolean }>(
    `with u as (
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::text[], $9::date[], $10::text[])
         as u(id, ref, first_name, last_name, email, locale, time_zone, preferred_channel, date_of_birth, zip)),
     w as (
       insert into policyholders (id, external_ref, first_name, last_name, email, locale, time_zone,
          preferred_channel, date_of_birth, zip, created_at, updated_at)
       select u.*, $11::timestamptz, $11::timestamptz from u
       on conflict (external_ref) do update set first_name = excluded.first_name, last_name = excluded.last_name,
          email = excluded.email, locale = excluded.locale, time_zone = excluded.time_zone,
          preferred_channel = excluded.preferred_channel, date_of_birth = excluded.date_of_birth,
          zip = excluded.zip, updated_at = excluded.updated_at
        where (policyholders.first_name, policyholders.last_name, policyholders.email, policyholders.locale,
               policyholders.time_zone, policyholders.preferred_channel, policyholders.date_of_birth, policyholders.zip)
              is distinct from (excluded.first_name, excluded.last_name, excluded.email, excluded.locale,
               excluded.time_zone, excluded.preferred_channel, excluded.date_of_birth, excluded.zip)
       returning external_ref, id)
     -- why: the second part sees the table as it was before this statement (holders already stored);
     -- a union, not a join with w, which the import's planner settings would run as a nested loop over w.
     select external_ref as k, id, true as changed from w
     union all
     select h.external_ref, h.id, false from u join policyholders h on h.external_ref = u.ref`,
    [
      newIds(rows.length), col((r) => r.customerId), col((r) => r.firstName), col((r) => r.lastName),
      col((r) => r.email), col((r) => r.locale), col((r) => r.timeZone), col((r) => r.preferredChannel),
      col((r) => r.dateOfBirth), col((r) => r.zip), now,
    ],
  );
  const byRef = new Map<string, { id: string; changed: boolean }>();
  for (const r of out) byRef.set(r.k, { id: r.id, changed: r.changed || byRef.get(r.k)?.changed === true });
  return byRef;
};

/** Adds phones, never removes one: numbers may also have been learnt from calls and texts. Returns the holders whose phones changed. */
const upsertPhones = async (client: DbClient, ids: ReadonlyMap<string, string>, rows: readonly PolicyholderInput[]) => {
  const holders: string[] = [];
  const phones: string[] = [];
  const labels: string[] = [];
  for (const r of rows) {
    for (const p of r.phones) {
      holders.push(ids.get(r.customerId)!);
      phones.push(p.e164);
      labels.push(p.label);
    }
  }
  const { rows: out } = await client.query<{ id: string }>(
    `insert into policyholder_phones (policyholder_id, phone_e164, label)
     select u.holder, u.phone, u.label from unnest($1::uuid[], $2::text[], $3::text[]) as u(holder, phone, label)
     on conflict (policyholder_id, phone_e164) do update set label = excluded.label
      where policyholder_phones.label is distinct from excluded.label
     returning policyholder_id as id`,
    [holders, phones, labels],
  );
  return new Set(out.map((r) => r.id));
};

/**
 * Writes a batch of policyholders with their phones inside the caller's transaction (two
 * statements whatever the batch size). Returns each holder's id by external ref, and the refs of
 * those where anything (holder columns or phones) changed.
 */
export const writePolicyholdersBatch = async (
  client: DbClient,
  rows: readonly PolicyholderInput[],
  now: Date,
): Promise<{ ids: Map<string, string>; changed: Set<string> }> => {
  const written = await upsertHolders(client, rows, now);
  const ids = new Map([...written].map(([ref, r]) => [ref, r.id]));
  const changed = new Set([...written].filter(([, r]) => r.changed).map(([ref]) => ref));
  const phonesChanged = await upsertPhones(client, ids, rows);
  for (const [ref, id] of ids) if (phonesChanged.has(id)) changed.add(ref);
  return { ids, changed };
};
