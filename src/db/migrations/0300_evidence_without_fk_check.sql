-- Every writer of an interaction's evidence locks and moves that interaction's
-- chain head in the same statement or transaction (run-turn, appendEvidence,
-- appendEvidenceInTx), so an event never exists without its interaction. The
-- foreign key re-checked that per event row with a row lock on the parent,
-- which was more than half of a flow turn's commit in Postgres. `verify`
-- reports any event whose interaction is missing (a row inserted by hand).
alter table evidence_events drop constraint evidence_events_interaction_id_fkey;
