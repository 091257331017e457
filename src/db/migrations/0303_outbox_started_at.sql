-- When a run of an outbox row first began acting outside the gateway (sending a text, starting a
-- call). A later run of the same row (the first was killed, or lost its answer) finds it set and
-- asks the provider whether the text was already sent before sending it again (markRunStarted).
alter table outbox add column started_at timestamptz;
