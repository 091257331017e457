-- Failed-debit recovery (issue 20): tasks for a human caller (escalations), one per due and step.
create table recovery_tasks (
  id            uuid primary key,
  due_id        uuid not null references premium_dues(id),
  policy_id     uuid not null references policies(id),
  step_id       text not null,
  reason        text not null,                 -- why a person calls: a large premium, the customer asked
  failure       text not null,                 -- the failure in plain words, for the caller
  status        text not null default 'open' check (status in ('open', 'claimed', 'done', 'cancelled')),
  claimed_by    text,
  claimed_at    timestamptz,
  closed_at     timestamptz,
  created_at    timestamptz not null,
  unique (due_id, step_id)
);
create index recovery_tasks_open on recovery_tasks (status, created_at) where status in ('open', 'claimed');

-- A lapsed policy's reinstatement offer is a notice like the others.
alter table notice_jobs drop constraint notice_jobs_kind_check;
alter table notice_jobs add constraint notice_jobs_kind_check
  check (kind in ('due-reminder', 'payment-received', 'payment-failed', 'pending-cancellation', 'cancelled', 'welcome', 'reinstatement-offer'));
