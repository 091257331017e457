-- Warm transfers (issue 19): a caller waits in a conference while specialists are rung one at a time.

create table warm_transfers (
  id               uuid primary key,
  caller_call_sid  text not null unique,
  -- Whose turns the caller goes back to when the wait ends: 'retention' (the retention call) or 'ivr'.
  flow             text not null check (flow in ('retention', 'ivr')),
  conference_name  text not null,
  policy_id        uuid references policies(id),
  policyholder_id  uuid references policyholders(id),
  caller_phone     text not null,
  locale           text not null,
  reason           text not null,                 -- 'cancel', 'mis-selling', 'asked', 'trouble'
  priority         boolean not null default false,
  -- What the caller did in this call (reason, offers made and declined): the specialist's screen.
  context          jsonb not null,
  status           text not null check (status in ('ringing', 'bridged', 'no-specialist', 'abandoned', 'ended')),
  specialist_id    uuid references retention_specialists(id),
  requested_at     timestamptz not null,
  bridged_at       timestamptz,
  ended_at         timestamptz
);
create index warm_transfers_requested on warm_transfers (requested_at);

-- One row per specialist rung for a transfer (never the same specialist twice).
create table transfer_legs (
  id               uuid primary key,
  transfer_id      uuid not null references warm_transfers(id),
  specialist_id    uuid not null references retention_specialists(id),
  call_sid         text unique,
  status           text not null check (status in ('dialing', 'ringing', 'answered', 'accepted', 'declined', 'no-answer', 'busy', 'failed', 'cancelled', 'completed')),
  created_at       timestamptz not null,
  answered_at      timestamptz,
  ended_at         timestamptz,
  unique (transfer_id, specialist_id)
);
