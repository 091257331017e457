-- Proactive notices (src/notices): one row per notice job, beside its outbox row and its own
-- interaction (the notice's evidence chain). An operator's batch is found by batch_id; a scheduled
-- due reminder carries the holder's day it is for (remind_on), and the unique index makes the daily
-- scheduler idempotent: a second run, or a second worker, queues nothing new for that due and day.
create table notice_jobs (
  outbox_id       uuid primary key,
  interaction_id  uuid not null,
  batch_id        uuid,
  kind            text not null check (kind in ('due-reminder', 'payment-received', 'payment-failed', 'pending-cancellation', 'cancelled', 'welcome')),
  policy_id       uuid not null,
  due_id          uuid,
  remind_on       date,
  created_at      timestamptz not null
);
create index notice_jobs_by_batch on notice_jobs (batch_id) where batch_id is not null;
create unique index notice_jobs_scheduled_once on notice_jobs (due_id, kind, remind_on) where remind_on is not null;

-- The daily due-reminder scheduler looks up open dues by date; without this it read every due.
create index premium_dues_open_by_date on premium_dues (due_date) where status = 'open';
