-- Callbacks at a booked slot (issue 19): a time to call back, attempts made, missed ones reported.

alter table callback_requests add column slot_at timestamptz;
alter table callback_requests add column attempts integer not null default 0;
alter table callback_requests add column last_outcome text;
alter table callback_requests add column closed_at timestamptz;
-- The interaction (call or text thread) it was booked in: its attempts are evidence on that chain.
alter table callback_requests add column interaction_id uuid references interactions(id);
alter table callback_requests drop constraint callback_requests_status_check;
alter table callback_requests add constraint callback_requests_status_check
  check (status in ('open', 'done', 'missed', 'cancelled'));
create index callback_requests_slot on callback_requests (slot_at) where status = 'open';

-- A callback's attempt is a transfer the other way round: the specialist is rung first, then the
-- customer is dialled into the specialist's conference.
alter table warm_transfers drop constraint warm_transfers_flow_check;
alter table warm_transfers add constraint warm_transfers_flow_check check (flow in ('retention', 'ivr', 'callback'));
alter table warm_transfers add column callback_id uuid references callback_requests(id);
alter table warm_transfers add column customer_call_sid text;
-- The customer's leg of a callback: dialling, ringing, answered, or how it ended.
alter table warm_transfers add column customer_status text;
create index warm_transfers_callback on warm_transfers (callback_id) where callback_id is not null;
