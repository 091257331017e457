-- What callers ask the IVR for that people then act on: callbacks and cancellation requests.

create table callback_requests (
  id               uuid primary key,
  phone_e164       text not null,
  policyholder_id  uuid references policyholders(id),
  policy_id        uuid references policies(id),
  reason           text not null,               -- 'asked', 'cancel', 'trouble'
  locale           text not null default 'en-US',
  source_ref       text,                         -- CallSid of the call that booked it
  requested_at     timestamptz not null,
  status           text not null default 'open' check (status in ('open', 'done', 'cancelled')),
  unique (source_ref)
);
create index callback_requests_open on callback_requests (requested_at) where status = 'open';

create table cancellation_requests (
  id               uuid primary key,
  policy_id        uuid references policies(id),
  policyholder_id  uuid references policyholders(id),
  channel          text not null,                -- 'ivr', 'sms', 'console'
  source_ref       text,
  requested_at     timestamptz not null,
  status           text not null default 'open' check (status in ('open', 'retained', 'cancelled', 'withdrawn')),
  unique (channel, source_ref)
);
