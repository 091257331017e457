-- A call polling for its charge reads the newest outbox row of its interaction and topic
-- (find-payment-status.ts). Without this index that read scanned the whole outbox, which
-- grows by one row per charge, receipt and notice: half of Postgres's work on a paid call.
create index outbox_by_interaction on outbox (interaction_id, topic, created_at);
