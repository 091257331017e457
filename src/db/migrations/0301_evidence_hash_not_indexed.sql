-- Nothing looks an event up by its hash, and a duplicate hash cannot arise
-- without a duplicate (interaction, seq), which stays unique; the text index
-- on the 64-character hash cost an index insert per event on every turn.
alter table evidence_events drop constraint evidence_events_hash_key;
