-- Outbound recovery calls (issue 20, src/recovery-call): one row per call placed for a due's recovery step.
-- `result` is what the call achieved while it lasted (a key pressed, a voicemail left); `outcome` is
-- what was reported to recovery when the call ended, once (set once, never changed).
create table recovery_calls (
  call_sid     text primary key,
  due_id       uuid not null,
  step_id      text not null,
  locale       text not null,
  to_e164      text,
  from_e164    text,
  answered_by  text,
  result       text check (result in ('paid', 'link-sent', 'voicemail', 'person-asked', 'failed')),
  outcome      text check (outcome in ('paid', 'link-sent', 'voicemail', 'no-answer', 'busy', 'failed', 'hung-up', 'person-asked')),
  outcome_at   timestamptz,
  created_at   timestamptz not null
);
create index recovery_calls_by_due on recovery_calls (due_id, step_id);
