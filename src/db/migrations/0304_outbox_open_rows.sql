-- Rows not yet completed nor cancelled, by when they are due: the relay looks here for rows whose
-- BullMQ job was lost with Redis (recoverLostJobs). Completed rows leave the index.
create index outbox_open_by_run_at on outbox (run_at) where completed_at is null and cancelled_at is null;
