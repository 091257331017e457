-- Failed-debit recovery's own record of each due's recovery, for the funnel and the report.
create table recoveries (
  due_id        uuid primary key references premium_dues(id),
  policy_id     uuid not null references policies(id),
  started_at    timestamptz not null,
  failed_at     timestamptz not null,
  amount_cents  bigint not null,
  currency      text not null,
  steps_done    text[] not null default '{}',   -- step ids run, in the order they ran
  last_step_id  text,                           -- the step run last (the one a payment after it is credited to)
  outcome       text check (outcome in ('paid', 'reinstated', 'closed')),
  finished_at   timestamptz,
  paid_channel  text,                           -- the channel of the payment that ended it (ivr, sms, sms-link, retry...)
  paid_at       timestamptz
);
create index recoveries_started on recoveries (started_at);
