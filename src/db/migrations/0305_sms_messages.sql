-- Every text we sent, by the carrier's id: where its evidence lives (the interaction it was sent
-- for: a call's receipt, a thread's reply, a notice), what it cost (segments) and its delivery
-- state, which only moves forward (queued < sending < sent < delivered | undelivered | failed).
-- A delivery callback can arrive before the sender recorded the text: it creates the row (the
-- interaction found through the outbox id in the callback's URL) and the sender completes it.
create table sms_messages (
  provider_sid   text primary key,
  interaction_id uuid,
  outbox_id      uuid,
  to_e164        text,
  from_e164      text,
  encoding       text,
  segments       int,
  status         text not null,
  error_code     int,
  sent_at        timestamptz,
  updated_at     timestamptz not null
);
create index sms_messages_by_interaction on sms_messages (interaction_id);
