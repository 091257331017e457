-- Cancellation retention (issue 19): what each retention case decided, and complaints on policies.

-- A mis-selling complaint stays open on the policy until a specialist resolves it.
alter table policies add column complaint_opened_at timestamptz;

-- One row per cancellation request (call or text): why, what was offered, how it ended.
alter table cancellation_requests
  add column reason text,
  add column offers_declined text[] not null default '{}',
  -- 'downgraded', 'date-moved', 'instalment-skipped', 'kept', 'cancelled', 'callback', 'transferred'
  add column outcome text,
  add column offer jsonb,
  add column outcome_at timestamptz,
  add column cancel_effective_date date,
  add column refund_cents bigint;
create index cancellation_requests_outcome_at on cancellation_requests (outcome_at);
