-- Foundation data model: policyholders, consent, policies, payments, interactions,
-- flow sessions with a transactional outbox, and the insert-only evidence log.
-- Money is integer cents; times are timestamptz (UTC); phones are E.164 text.

create table policyholders (
  id               uuid primary key,
  external_ref     text not null unique,          -- the insurer's customer id (import key)
  first_name       text not null,
  last_name        text not null,
  email            text,
  locale           text not null default 'en-US',
  time_zone        text not null default 'America/New_York',
  preferred_channel text not null default 'sms' check (preferred_channel in ('sms', 'voice', 'email')),
  date_of_birth    date,                           -- verification factor, never written to evidence
  zip              text,                           -- verification factor, never written to evidence
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);

create table policyholder_phones (
  policyholder_id  uuid not null references policyholders(id) on delete cascade,
  phone_e164       text not null check (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  label            text not null default 'mobile',
  primary key (policyholder_id, phone_e164)
);
create index policyholder_phones_phone on policyholder_phones (phone_e164);

-- Current consent per number and channel; every change is also an evidence event.
create table consents (
  phone_e164       text not null,
  channel          text not null check (channel in ('sms', 'voice')),
  granted          boolean not null,
  source           text not null,                  -- 'import', 'sms-keyword', 'ivr', 'console', ...
  recorded_at      timestamptz not null,
  policyholder_id  uuid references policyholders(id) on delete set null,
  primary key (phone_e164, channel)
);

create table policies (
  id               uuid primary key,
  policy_number    text not null unique,
  policyholder_id  uuid not null references policyholders(id),
  product          text not null,
  coverage_tier    text not null,
  sum_insured_cents bigint not null check (sum_insured_cents >= 0),
  premium_cents    bigint not null check (premium_cents >= 0),
  currency         text not null default 'usd',
  billing_frequency text not null check (billing_frequency in ('monthly', 'quarterly', 'semiannual', 'annual')),
  next_due_date    date,
  paid_to_date     date,
  status           text not null default 'active'
                   check (status in ('active', 'grace', 'cancelled', 'lapsed', 'reinstated')),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index policies_holder on policies (policyholder_id);
-- Callers key in the digits of a policy number ('HM-1002-34' is 100234 on a keypad).
create index policies_number_digits on policies ((regexp_replace(policy_number, '[^0-9]', '', 'g')));

-- Provider references only: never a card number, expiry or security code.
create table payment_methods (
  id               uuid primary key,
  policyholder_id  uuid not null references policyholders(id) on delete cascade,
  provider         text not null default 'stripe',
  provider_customer_id text not null,
  provider_payment_method_id text not null,
  brand            text,
  last4            text check (last4 is null or last4 ~ '^[0-9]{4}$'),
  is_default       boolean not null default false,
  created_at       timestamptz not null default now(),
  unique (provider, provider_payment_method_id)
);

create table premium_dues (
  id               uuid primary key,
  policy_id        uuid not null references policies(id),
  due_date         date not null,
  amount_cents     bigint not null check (amount_cents > 0),
  currency         text not null default 'usd',
  status           text not null default 'open' check (status in ('open', 'paid', 'failed', 'waived', 'void')),
  paid_at          timestamptz,
  created_at       timestamptz not null default now(),
  unique (policy_id, due_date)
);

create table payment_attempts (
  id               uuid primary key,
  due_id           uuid not null references premium_dues(id),
  attempt_no       int not null,
  channel          text not null,                  -- 'ivr', 'sms-link', 'retry', 'console', ...
  idempotency_key  text not null unique,
  provider         text not null default 'stripe',
  provider_payment_id text,                        -- pi_... / ch_...
  status           text not null check (status in ('pending', 'succeeded', 'failed', 'requires_action')),
  amount_cents     bigint not null,
  currency         text not null default 'usd',
  decline_code     text,
  decline_class    text,
  failure_reason   text,                           -- in words a retention specialist understands
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (due_id, attempt_no)
);

create table retention_specialists (
  id               uuid primary key,
  name             text not null,
  phone_e164       text not null,
  email            text,
  active           boolean not null default true,
  skills           text[] not null default '{}',
  created_at       timestamptz not null default now()
);

-- One row per call leg, SMS thread, recovery run...: what evidence chains hang off.
create table interactions (
  id               uuid primary key,
  kind             text not null,                  -- 'call', 'sms-thread', 'payment', 'recovery', 'system'
  provider_ref     text,                           -- CallSid, thread key, ...
  direction        text,                           -- 'inbound' | 'outbound'
  from_e164        text,
  to_e164          text,
  policyholder_id  uuid references policyholders(id),
  policy_id        uuid references policies(id),
  started_at       timestamptz not null,
  ended_at         timestamptz,
  status           text,
  -- Head of this interaction's evidence chain: next sequence number and last hash.
  evidence_seq     int not null default 0,
  evidence_head    text not null default '0000000000000000000000000000000000000000000000000000000000000000'
);
create unique index interactions_kind_ref on interactions (kind, provider_ref) where provider_ref is not null;
create index interactions_policy on interactions (policy_id, started_at);
create index interactions_holder on interactions (policyholder_id, started_at);

-- Durable XState sessions, keyed by any conversation identity ('call:CA..', 'sms:+1..:+1..').
create table flow_sessions (
  id               uuid primary key,
  session_key      text not null unique,
  machine_id       text not null,
  machine_version  int not null,
  interaction_id   uuid not null references interactions(id),
  snapshot         jsonb not null,
  version          int not null,
  status           text not null default 'active',
  created_at       timestamptz not null,
  updated_at       timestamptz not null
);

-- Answers given to provider webhooks, so a retry gets the same answer and changes nothing.
create table webhook_receipts (
  dedupe_key       text primary key,
  session_id       uuid,
  content_type     text not null,
  response_body    text not null,
  created_at       timestamptz not null
);

-- Side effects decided in a turn, written in the turn's transaction, dispatched after commit.
create table outbox (
  id               uuid primary key,
  topic            text not null,
  payload          jsonb not null,
  interaction_id   uuid references interactions(id),
  run_at           timestamptz not null,
  created_at       timestamptz not null,
  dispatched_at    timestamptz,
  completed_at     timestamptz,
  result           jsonb,                          -- what the handler reported (ids, outcome), for flows that wait on it
  -- What the job is about ('due:<id>', 'policy:<id>'): paying a due cancels work waiting on it.
  correlation      text,
  cancelled_at     timestamptz
);
create index outbox_undispatched on outbox (created_at) where dispatched_at is null;
create index outbox_pending_by_correlation on outbox (correlation) where completed_at is null and cancelled_at is null;

-- Insert-only evidence: per-interaction SHA-256 chains over canonical JSON (RFC 8785).
create table evidence_events (
  id               uuid primary key,
  interaction_id   uuid not null references interactions(id),
  seq              int not null check (seq >= 0),
  type             text not null,
  schema_version   smallint not null default 1,
  provider_ref     text,
  provider_time    timestamptz,
  received_at      timestamptz not null,
  payload          jsonb not null,
  prev_hash        text not null,
  hash             text not null unique,
  unique (interaction_id, seq)
);
create index evidence_events_received on evidence_events (received_at);

-- Aborts the statement it is part of (SQLSTATE GW409): lets a one-statement turn roll back
-- every part of itself when one part finds the data moved on under it.
create function gw_assert(ok boolean, what text) returns boolean language plpgsql as $$
begin
  if not ok then
    raise exception 'conflict: %', what using errcode = 'GW409';
  end if;
  return true;
end $$;

create function evidence_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'evidence is insert-only: % refused on %', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end $$;

create trigger evidence_events_no_update before update or delete on evidence_events
  for each row execute function evidence_refuse_change();
create trigger evidence_events_no_truncate before truncate on evidence_events
  for each statement execute function evidence_refuse_change();
