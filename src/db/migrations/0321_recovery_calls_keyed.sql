-- A recovery call on which a key was pressed was answered by a person: a late machine verdict from
-- answering machine detection must not send it to the voicemail (src/recovery-call).
alter table recovery_calls add column keyed boolean not null default false;
