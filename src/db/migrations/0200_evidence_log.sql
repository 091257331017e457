-- The global evidence log (issue #10): a single sequencer numbers committed
-- evidence events into a gap-free RFC 6962 Merkle log, links every event of a
-- policy into a per-policy chain whose entries are leaves of the same log,
-- and signs checkpoints. Everything but the work queue is insert-only.

-- Work queue: events committed but not yet in the log. Filled by a statement
-- trigger (so the flow turn stays one statement), drained by the sequencer in
-- the transaction that sequences them. Not evidence: rows are deleted.
create table evidence_unsequenced (
  event_id         uuid primary key,
  received_at      timestamptz not null
);
create index evidence_unsequenced_order on evidence_unsequenced (received_at, event_id);

create function evidence_queue_for_log() returns trigger language plpgsql as $$
begin
  insert into evidence_unsequenced (event_id, received_at) select id, received_at from inserted;
  return null;
end $$;
create trigger evidence_events_queue after insert on evidence_events
  referencing new table as inserted for each statement execute function evidence_queue_for_log();
insert into evidence_unsequenced (event_id, received_at) select id, received_at from evidence_events;

-- Leaves, numbered 0..n-1 by the sequencer only (a sequence would leave gaps on rollback).
-- kind 'event': the leaf commits to one evidence event; 'policy-link': to one policy_chain_links row.
create table evidence_log_leaves (
  leaf_index       bigint primary key check (leaf_index >= 0),
  kind             text not null check (kind in ('event', 'policy-link')),
  event_id         uuid unique references evidence_events(id),
  leaf_hash        bytea not null check (length(leaf_hash) = 32),
  sequenced_at     timestamptz not null,
  check ((kind = 'event') = (event_id is not null))
);

-- Hashes of complete subtrees (level 0 = leaves): proofs read O(log n) of them.
create table evidence_tree_nodes (
  level            smallint not null check (level >= 0 and level < 64),
  idx              bigint not null check (idx >= 0),
  hash             bytea not null check (length(hash) = 32),
  primary key (level, idx)
);

-- Signed checkpoints (C2SP signed notes), one per sequencing round that added leaves.
create table evidence_checkpoints (
  tree_size        bigint primary key check (tree_size > 0),
  root_hash        bytea not null check (length(root_hash) = 32),
  origin           text not null,
  key_id           text not null,
  note             text not null,
  created_at       timestamptz not null
);

-- Per-policy chains. Each entry says "events from_seq..to_seq of this
-- interaction, ending in head_hash, belong to this policy", is chained to the
-- policy's previous entry by prev_hash, and is itself a leaf of the log
-- (link_hash is that leaf's hash). A bundle holding a policy's whole chain
-- therefore proves that no interaction or event of the policy was left out.
create table policy_chain_links (
  policy_id        uuid not null references policies(id),
  pseq             int not null check (pseq >= 0),
  interaction_id   uuid not null references interactions(id),
  from_seq         int not null check (from_seq >= 0),
  to_seq           int not null,
  head_hash        text not null,
  first_received_at timestamptz not null,
  last_received_at timestamptz not null,
  prev_hash        text not null,
  link_hash        text not null unique,
  leaf_index       bigint not null unique references evidence_log_leaves(leaf_index),
  primary key (policy_id, pseq),
  check (to_seq >= from_seq)
);
create index policy_chain_links_interaction on policy_chain_links (policy_id, interaction_id, to_seq desc);

create trigger evidence_log_leaves_no_update before update or delete on evidence_log_leaves
  for each row execute function evidence_refuse_change();
create trigger evidence_log_leaves_no_truncate before truncate on evidence_log_leaves
  for each statement execute function evidence_refuse_change();
create trigger evidence_tree_nodes_no_update before update or delete on evidence_tree_nodes
  for each row execute function evidence_refuse_change();
create trigger evidence_tree_nodes_no_truncate before truncate on evidence_tree_nodes
  for each statement execute function evidence_refuse_change();
create trigger evidence_checkpoints_no_update before update or delete on evidence_checkpoints
  for each row execute function evidence_refuse_change();
create trigger evidence_checkpoints_no_truncate before truncate on evidence_checkpoints
  for each statement execute function evidence_refuse_change();
create trigger policy_chain_links_no_update before update or delete on policy_chain_links
  for each row execute function evidence_refuse_change();
create trigger policy_chain_links_no_truncate before truncate on policy_chain_links
  for each statement execute function evidence_refuse_change();

-- Bearer tokens for the evidence API, stored as SHA-256 of the token only.
create table api_tokens (
  id               uuid primary key,
  name             text not null,
  role             text not null check (role in ('compliance', 'specialist', 'operator')),
  token_hash       text not null unique,
  created_at       timestamptz not null,
  revoked_at       timestamptz
);
